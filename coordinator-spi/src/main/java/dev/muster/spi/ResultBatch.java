package dev.muster.spi;

import java.util.List;

/**
 * Results from one worker with one signature over all of them ({@link SignedBytes#results}).
 *
 * @param worker    who reports
 * @param results   the results
 * @param signature the worker's Ed25519 signature
 */
public record ResultBatch(WorkerId worker, List<ResultReport> results, byte[] signature) {
    /**
     * Checks the batch and copies the list and the signature; the signature is verified by the coordinator.
     *
     * @param worker    who reports; not null
     * @param results   at least one result
     * @param signature the worker's signature over {@link #signedBytes()}; not null
     * @throws InvalidRequestException if a field is missing or the batch is empty
     */
    public ResultBatch {
        Checks.notNull(worker, "worker");
        results = List.copyOf(Checks.notNull(results, "results"));
        if (results.isEmpty()) {
            throw new InvalidRequestException("results must not be empty");
        }
        signature = Checks.notNull(signature, "signature").clone();
    }

    /**
     * Returns a copy of the signature.
     *
     * @return a copy of the signature
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Returns the bytes the worker must sign.
     *
     * @return the bytes the worker must sign
     */
    public byte[] signedBytes() {
        return SignedBytes.results(worker, results);
    }
}
