package org.sparkdfa.train.local;

import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.SummedRows;

/**
 * A task's share of a step as it travels back to the driver on a local master: the totals and
 * the exchange id of the gradient array parked in the step's scope (0: no rows, or the step had
 * ended). The driver takes the array back into a {@link GradientSum}.
 */
final class ParkedShare extends SummedRows {
  private static final long serialVersionUID = 1L;

  /** The array's id in the step's scope; 0 when the share is empty. */
  final long id;

  private ParkedShare() {
    this.id = 0;
  }

  private ParkedShare(long id, SummedRows totals) {
    super(totals);
    this.id = id;
  }

  /**
   * {@code share}'s array parked in {@code scope} (dropped if the scope is closed or null); an
   * empty share for a null {@code share}.
   */
  static ParkedShare park(GradientSum<?> share, LocalExchange.Scope scope) {
    if (share == null) return new ParkedShare();
    long id = share.isEmpty() || scope == null ? 0 : scope.put(share.array());
    return new ParkedShare(id, share);
  }

  /** Back in hand on the driver: the parked array taken out of {@code scope}. */
  @SuppressWarnings("unchecked")
  <A> GradientSum<A> take(LocalExchange.Scope scope, GradientPool<A> pool) {
    if (id == 0) return GradientSum.withTotals(pool.flat(), null, null, this);
    return GradientSum.withTotals(pool.flat(), (A) scope.take(id), pool, this);
  }
}
