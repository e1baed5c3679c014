package dev.muster.core.policy;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open pool that saboteurs cannot poison while they hold at most {@code fMax} of the
 * identities and the work: Sarmenta's credibility-based fault tolerance with the additions that
 * adaptive saboteurs make necessary. See {@code docs/design.md}, "Open pools".
 *
 * <ul>
 *   <li>Each key's credibility comes from the hidden spot-checks it passed ({@link Credibility}):
 *       a key counts as a newcomer, at {@code 1 - fMax}, until it passed {@code maturity} of them;
 *       a wrong answer to one bans it, and a banned key's results count for nothing. The
 *       coordinator makes the share {@code spotChecks} of all work spot-checks. A key on probation
 *       (fewer than {@code probation} passes) is given spot-checks before ordinary work.</li>
 *   <li>Results are grouped by digest, one result per owner in a group; a job is accepted when
 *       its best group reaches {@code 1 - epsilon} (per job type if configured) in the odds
 *       form, and has results from at least {@code minOwners} owners. With {@code fMax >= 0.05}
 *       that is two owners, and one result's odds are capped so that no single key, however long
 *       trusted, decides alone; below that one mature result may decide, except on a share
 *       {@code audit} of jobs, picked unpredictably, that always need a second owner.</li>
 *   <li>Replicas are issued one at a time: the next is queued only when every earlier one has
 *       answered, so a cartel never knows it holds all replicas of a job issued so far.</li>
 *   <li>A key whose result loses to an accepted digest takes a strike, which also restarts its
 *       count of passes; at {@code strikesToBan} strikes it is banned, and the coordinator then
 *       backtracks its results. One lost vote does not ban: honest hardware errs now and then. A
 *       strike expires after {@code strikeExpiry} further passes, so that rare errors of honest
 *       hardware do not add up to a ban over a long life.</li>
 *   <li>An invalid result of a key that is not mature costs its job no attempt, so throw-away
 *       keys cannot fail jobs.</li>
 * </ul>
 *
 * <p>Stateless apart from its settings and a random salt for picking audited jobs; thread-safe.
 */
public final class CredibilityPolicy implements TrustPolicy {
    /** Below this bound one mature result may decide a job (with audits); at or above it, two owners must agree. */
    public static final double TWO_OWNERS_FROM = 0.05;
    /**
     * The default of {@code strikeExpiry}: twenty passes, about two hundred results at the default
     * spot-check share, take a strike back.
     */
    public static final long STRIKE_EXPIRY = 20;

    private final double fMax;
    private final double epsilon;
    private final Map<String, Double> epsilonByType;
    private final long maturity;
    private final int strikesToBan;
    private final int maxReplicas;
    private final double audit;
    private final double spotChecks;
    private final long probation;
    private final long strikeExpiry;
    private final int minOwners;
    private final byte[] salt = new byte[16];
    private final Map<Double, Credibility> byEpsilon = new ConcurrentHashMap<>();

    /**
     * @param fMax          the bound on the saboteurs' share of identities and work, in (0, 0.5)
     * @param epsilon       the accepted error per job, in (0, 0.1]
     * @param epsilonByType an epsilon per job type, overriding {@code epsilon}
     * @param maturity      spot-checks a key must pass before it counts as more than a newcomer, at least 1
     * @param strikesToBan  lost disputes that ban a key, at least 2 (one lost vote never bans)
     * @param maxReplicas   most replicas of one job before it fails as inconclusive
     * @param audit         when {@code fMax < 0.05}: the share of jobs that need a second owner anyway,
     *                      at least 0.01 (audits never fade out); ignored otherwise
     * @param spotChecks    the share of all work that is hidden spot-checks, in [0.01, 0.5]
     * @param probation     spot-checks a key must pass before it is given ordinary work while spot-checks
     *                      wait for it, from 0 (no probation) to {@code maturity}
     * @param strikeExpiry  spot-checks passed after a strike that take it back, at least 0 (strikes never
     *                      expire)
     * @throws ConfigurationException if a value is out of range
     */
    public CredibilityPolicy(double fMax, double epsilon, Map<String, Double> epsilonByType, long maturity,
                             int strikesToBan, int maxReplicas, double audit, double spotChecks, long probation,
                             long strikeExpiry) {
        if (!(fMax > 0 && fMax < 0.5)) {
            throw new ConfigurationException("trust.fMax must be in (0, 0.5), was " + fMax);
        }
        checkEpsilon("trust.epsilon", epsilon);
        epsilonByType.forEach((type, e) -> checkEpsilon("trust.epsilon." + type, e));
        if (maturity < 1 || strikesToBan < 2 || maxReplicas < 2 || !(audit >= 0.01 && audit <= 1)
                || !(spotChecks >= 0.01 && spotChecks <= 0.5)) {
            throw new ConfigurationException("credibility needs trust.maturity >= 1, trust.strikesToBan >= 2, "
                    + "trust.maxReplicas >= 2, trust.audit in [0.01, 1] and trust.spotChecks in [0.01, 0.5]; got "
                    + maturity + ", " + strikesToBan + ", " + maxReplicas + ", " + audit + ", " + spotChecks);
        }
        if (probation < 0 || probation > maturity) {
            throw new ConfigurationException("trust.probation must be in [0, trust.maturity " + maturity + "], was "
                    + probation);
        }
        if (strikeExpiry < 0) {
            throw new ConfigurationException("trust.strikeExpiry must be at least 0 (never), was " + strikeExpiry);
        }
        this.fMax = fMax;
        this.epsilon = epsilon;
        this.epsilonByType = Map.copyOf(epsilonByType);
        this.maturity = maturity;
        this.strikesToBan = strikesToBan;
        this.maxReplicas = maxReplicas;
        this.audit = audit;
        this.spotChecks = spotChecks;
        this.probation = probation;
        this.strikeExpiry = strikeExpiry;
        this.minOwners = fMax >= TWO_OWNERS_FROM ? 2 : 1;
        new SecureRandom().nextBytes(salt);
        // Fail now, not at the first decision, if a job type's bar needs more replicas than allowed.
        for (double e : this.epsilonByType.values()) {
            credibility(e);
        }
        credibility(epsilon);
    }

    private static void checkEpsilon(String key, double e) {
        if (!(e > 0 && e <= 0.1)) {
            throw new ConfigurationException(key + " must be in (0, 0.1], was " + e);
        }
    }

    @Override
    public String name() {
        return "credibility";
    }

    @Override
    public void admit(Registration registration, WorkerId id) {
        // Anyone may join; a key earns weight only by passing spot-checks.
    }

    @Override
    public int initialReplicas(JobSpec spec) {
        return 1;
    }

    @Override
    public boolean distinctOwners() {
        return true;
    }

    @Override
    public boolean judgesKeys() {
        return true;
    }

    /** Owners are counted (one voice per owner, one replica per owner), so they must be verified accounts. */
    @Override
    public boolean ownerAccounts() {
        return true;
    }

    @Override
    public Decision decide(Job job, List<StoredResult> results) {
        Map<WorkerId, KeyTrust> newcomers = new HashMap<>();
        results.forEach(r -> newcomers.put(r.worker(), KeyTrust.newcomer(r.worker())));
        return decide(job, results, newcomers);
    }

    @Override
    public Decision decide(Job job, List<StoredResult> results, Map<WorkerId, KeyTrust> standing) {
        double e = epsilonOf(job.spec().type());
        Credibility cr = credibility(e);
        // Per digest, the best result of each owner: one owner's keys are one voice.
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        int answered = 0;
        for (StoredResult r : results) {
            if (!r.valid()) {
                continue;
            }
            answered++;
            KeyTrust t = standing.get(r.worker());
            if (t == null || t.banned()) {
                continue;
            }
            groups.computeIfAbsent(r.resultDigest(), d -> new HashMap<>()).merge(r.owner(), ofKey(cr, t), Math::max);
        }
        String best = null;
        double bestCr = -1;
        for (Map.Entry<String, Map<String, Double>> g : groups.entrySet()) {
            List<List<Double>> others = new ArrayList<>();
            groups.forEach((d, members) -> {
                if (!d.equals(g.getKey())) {
                    others.add(List.copyOf(members.values()));
                }
            });
            double c = cr.ofGroup(g.getValue().values(), others);
            if (c > bestCr) {
                bestCr = c;
                best = g.getKey();
            }
        }
        if (best != null && bestCr >= 1 - e && groups.get(best).size() >= ownersNeeded(job)) {
            return new Decision.Accept(best, smallestClaim(results, best, standing));
        }
        if (answered < job.replicasWanted()) {
            return new Decision.Wait();
        }
        if (job.replicasWanted() >= maxReplicas) {
            return new Decision.Fail(String.format(Locale.ROOT, "inconclusive: after %d replicas the best result"
                    + " has credibility %.6f, short of %.6f", job.replicasWanted(), Math.max(0, bestCr), 1 - e));
        }
        return new Decision.AddReplicas(1, groups.size() > 1 ? "results disagree" : "credibility short of the bar");
    }

    /**
     * A key is struck for every lost dispute, which also restarts its passes: it must earn its
     * weight again. At {@code strikesToBan} strikes it is banned.
     */
    @Override
    public KeyTrust outvoted(KeyTrust before, StoredResult lost, Instant at) {
        KeyTrust struck = before.strike(at);
        if (struck.strikes() >= strikesToBan) {
            return struck.ban("lost " + struck.strikes() + " disputes (job " + lost.jobId() + " last)", at);
        }
        return struck;
    }

    /** The strike taken for losing to an acceptance that was later retracted is taken back. */
    @Override
    public KeyTrust vindicated(KeyTrust before, StoredResult result, Instant at) {
        return before.forgive(at);
    }

    /**
     * A right answer to a hidden spot-check is a pass, and every {@code strikeExpiry} passes counted
     * since the count last restarted (at a strike, a taint or a reinstatement) take one strike back;
     * a wrong answer bans the key outright.
     */
    @Override
    public KeyTrust spotChecked(KeyTrust before, boolean passed, StoredResult answer, Instant at) {
        if (!passed) {
            return before.ban(spotCheckBan(answer), at);
        }
        KeyTrust after = before.pass(at);
        // A banned key keeps its record: passes that come in after the ban take nothing back.
        boolean expires = strikeExpiry > 0 && !after.banned() && after.strikes() > 0
                && after.passed() % strikeExpiry == 0;
        return expires ? after.forgive(at) : after;
    }

    /** A ban for failing a spot-check whose known answer was wrong is lifted; passes start again. */
    @Override
    public KeyTrust spotCheckVoided(KeyTrust before, StoredResult answer, Instant at) {
        return before.banned() && before.banReason().equals(spotCheckBan(answer)) ? before.reinstate(at) : before;
    }

    private static String spotCheckBan(StoredResult answer) {
        return "failed a hidden spot-check (job " + answer.jobId() + ")";
    }

    @Override
    public double spotCheckRate() {
        return spotChecks;
    }

    @Override
    public long probation() {
        return probation;
    }

    @Override
    public boolean countsAttempt(KeyTrust reporter) {
        return !reporter.banned() && reporter.passed() >= maturity;
    }

    /** @return the credibility a key's standing earns: a newcomer's until it is mature */
    private double ofKey(Credibility cr, KeyTrust t) {
        return t.passed() < maturity ? 1 - fMax : cr.ofKey(t.passed());
    }

    private int ownersNeeded(Job job) {
        return minOwners >= 2 || audited(job) ? 2 : 1;
    }

    /** Whether this job is among the audited share: unpredictable to workers, stable for the job. */
    private boolean audited(Job job) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(ByteBuffer.allocate(16).putLong(job.id().value()).putLong(job.spec().seed()).array());
            long bits = ByteBuffer.wrap(sha.digest()).getLong() >>> 11;
            return bits * 0x1.0p-53 < audit;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private double epsilonOf(String type) {
        return epsilonByType.getOrDefault(type, epsilon);
    }

    /**
     * The arithmetic for one bar. Where two owners must agree, one result's odds are capped just
     * above the square root of the bar's, so that two keys are always needed and two mature ones
     * suffice; otherwise at the bar, so that one mature key may decide.
     */
    private Credibility credibility(double e) {
        return byEpsilon.computeIfAbsent(e, k -> {
            double bar = (1 - k) / k;
            double cap = minOwners >= 2 ? Math.sqrt(bar) * (1 + 1e-9) : bar * (1 + 1e-9);
            double newcomer = (1 - fMax) / fMax;
            Credibility c = new Credibility(fMax, Math.max(cap, newcomer));
            if (c.newcomersNeeded(k) > maxReplicas) {
                throw new ConfigurationException(String.format(Locale.ROOT, "with fMax %s a job with epsilon %s"
                        + " needs %d agreeing newcomers, more than trust.maxReplicas %d", fMax, k,
                        c.newcomersNeeded(k), maxReplicas));
            }
            return c;
        });
    }

    private static double smallestClaim(List<StoredResult> results, String digest, Map<WorkerId, KeyTrust> standing) {
        double min = Double.MAX_VALUE;
        for (StoredResult r : results) {
            KeyTrust t = standing.get(r.worker());
            if (r.valid() && r.resultDigest().equals(digest) && t != null && !t.banned()) {
                min = Math.min(min, r.claimedCredit());
            }
        }
        return min;
    }

    @Override
    public String toString() {
        return "CredibilityPolicy[fMax=" + fMax + ", epsilon=" + epsilon + ", byType=" + epsilonByType
                + ", maturity=" + maturity + ", strikesToBan=" + strikesToBan + ", maxReplicas=" + maxReplicas
                + ", spotChecks=" + spotChecks + ", probation=" + probation + ", strikeExpiry=" + strikeExpiry
                + ", minOwners=" + minOwners
                + (minOwners == 1 ? ", audit=" + audit : "") + "]";
    }
}
