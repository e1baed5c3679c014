package dev.muster.benchmarks.sabotage;

/** What a run left in the dataset, and what it cost. */
record Outcome(Cell cell, int accepted, int failed, int unfinished, int wrong, long honestResults,
               long totalResults, int disputes, int retractions, int honestKeys, int honestBanned,
               int honestBannedByChecks, int honestBansLifted, int steeredTurns, int steeredCaught,
               double seconds) {
    double error() {
        return accepted == 0 ? 0 : (double) wrong / accepted;
    }

    /** @return the one-sided 95% Clopper-Pearson upper bound of the error rate */
    double errorBound() {
        return ClopperPearson.upperBound(wrong, accepted, 0.05);
    }

    double honestPerJob() {
        return accepted == 0 ? 0 : (double) honestResults / accepted;
    }

    double totalPerJob() {
        return accepted == 0 ? 0 : (double) totalResults / accepted;
    }

    Outcome plus(Outcome o) {
        return new Outcome(cell, accepted + o.accepted, failed + o.failed, unfinished + o.unfinished,
                wrong + o.wrong, honestResults + o.honestResults, totalResults + o.totalResults,
                disputes + o.disputes, retractions + o.retractions, honestKeys + o.honestKeys,
                honestBanned + o.honestBanned, honestBannedByChecks + o.honestBannedByChecks,
                honestBansLifted + o.honestBansLifted, steeredTurns + o.steeredTurns,
                steeredCaught + o.steeredCaught, seconds + o.seconds);
    }
}
