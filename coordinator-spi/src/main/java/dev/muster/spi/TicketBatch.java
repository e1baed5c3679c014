package dev.muster.spi;

import java.time.Instant;
import java.util.List;

/**
 * Tickets leased to one worker in one call, with one coordinator signature over all of them
 * ({@link SignedBytes#tickets}). Signing the batch rather than each ticket is what lets dispatch
 * go well past the per-signature cost of Ed25519.
 *
 * @param worker    who the tickets are for
 * @param issuedAt  when they were issued
 * @param tickets   the tickets, possibly none
 * @param signature the coordinator's Ed25519 signature; an empty array when signing is off or
 *                  there are no tickets (an empty batch grants nothing)
 */
public record TicketBatch(WorkerId worker, Instant issuedAt, List<Ticket> tickets, byte[] signature) {
    /**
     * Checks the batch and copies the list and the signature.
     *
     * @param worker    who the tickets are for; not null
     * @param issuedAt  when they were issued; not null
     * @param tickets   the tickets; not null, may be empty
     * @param signature the coordinator's signature; not null, empty when there is none
     * @throws InvalidRequestException if a field is missing
     */
    public TicketBatch {
        Checks.notNull(worker, "worker");
        Checks.notNull(issuedAt, "issuedAt");
        tickets = List.copyOf(Checks.notNull(tickets, "tickets"));
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
     * Returns the bytes the coordinator signed.
     *
     * @return the bytes the coordinator signed
     */
    public byte[] signedBytes() {
        return SignedBytes.tickets(worker, issuedAt, tickets);
    }
}
