package dev.muster.benchmarks.sabotage;

/** Confidence bounds of a binomial rate, for error rates measured over a finite number of jobs. */
final class ClopperPearson {
    private ClopperPearson() {}

    /**
     * The one-sided upper confidence bound of a binomial rate after {@code k} events in {@code n}
     * trials (Clopper-Pearson): the rate at which seeing {@code k} or fewer has probability
     * {@code alpha}.
     */
    static double upperBound(int k, int n, double alpha) {
        if (n == 0 || k >= n) {
            return 1;
        }
        double lo = (double) k / n;
        double hi = 1;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (binomialCdf(k, n, mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** P(X <= k) for X ~ Binomial(n, p), summed in log space. */
    static double binomialCdf(int k, int n, double p) {
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logTerm = n * logQ;
        double sum = Math.exp(logTerm);
        for (int i = 1; i <= k; i++) {
            logTerm += Math.log((double) (n - i + 1) / i) + logP - logQ;
            sum += Math.exp(logTerm);
        }
        return Math.min(1, sum);
    }
}
