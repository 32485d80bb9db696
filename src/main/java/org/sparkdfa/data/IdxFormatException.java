package org.sparkdfa.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that exists but is not what it should be; the message names the file. */
public class IdxFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public IdxFormatException(Path file, String problem) {
    super("IDX file " + file + ": " + problem);
  }

  public IdxFormatException(Path file, String problem, Throwable cause) {
    super("IDX file " + file + ": " + problem, cause);
  }
}
