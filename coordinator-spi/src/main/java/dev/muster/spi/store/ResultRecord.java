package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Verdict;

/**
 * A checked result to record: the report, the validator's verdict and the credit it claims.
 *
 * @param report        what the worker reported
 * @param verdict       the validator's verdict
 * @param claimedCredit credit claimed if the result is accepted
 */
public record ResultRecord(ResultReport report, Verdict verdict, double claimedCredit) {
    /**
     * Checks the record.
     *
     * @param report        what the worker reported; not null
     * @param verdict       the validator's verdict; not null
     * @param claimedCredit credit claimed if the result is accepted
     * @throws dev.muster.spi.InvalidRequestException if a field is missing
     */
    public ResultRecord {
        Checks.notNull(report, "report");
        Checks.notNull(verdict, "verdict");
    }
}
