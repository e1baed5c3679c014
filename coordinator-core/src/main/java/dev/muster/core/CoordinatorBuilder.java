package dev.muster.core;

import static dev.muster.core.SettingChecks.require;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import dev.muster.spi.EventListener;
import dev.muster.spi.Keys;
import dev.muster.spi.Plugins;
import dev.muster.spi.Validator;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.policy.TrustPolicyProvider;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreProvider;
import dev.muster.spi.transport.TransportProvider;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and builds a {@link Coordinator}. Settings are checked when {@link #build()} is
 * called, with messages that name the setting; the coordinator then keeps a frozen copy, so
 * changing the builder afterwards does not affect it.
 *
 * <p>Plug-ins can be given as instances or by name; named ones are found with
 * {@link java.util.ServiceLoader}. The same settings can come from a property map
 * ({@link #configure(Map)}), which is how an embedding service switches between a trusted and a
 * quorum pool without code changes:
 *
 * <pre>{@code
 * store=memory
 * trust=quorum
 * trust.replicas=3
 * trust.agree=2
 * validators=card-game
 * }</pre>
 *
 * <p>Recognised properties: {@code store}, {@code store.*}, {@code trust}, {@code trust.*},
 * {@code transport}, {@code transport.*},
 * {@code validators}, {@code signatures}, {@code heartbeat.interval}, {@code offline.after},
 * {@code housekeeping.interval}, {@code purge.after}, {@code challenge.ttl}, {@code challenge.secret}
 * (hex, at least 32 bytes; by default the store keeps one for the pool), {@code lease.maxBatch},
 * {@code lease.maxWait} (the longest long poll, default 30s, at most 2m),
 * {@code submit.maxBatch}, {@code report.maxBatch}, {@code payload.maxBytes}, {@code result.maxBytes},
 * {@code owner.maxLeases}, {@code worker.leaseRate}, {@code owner.leaseRate}, {@code client.builds},
 * {@code rejections.perMinute}, {@code signing.keyFile}, {@code owners.accounts} ({@code declared} or
 * {@code verified}), {@code owners.signup} ({@code closed} or {@code open}),
 * {@code owners.newKeysPerHour}. Durations are ISO-8601 ({@code PT30S}) or a number
 * with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 30d}); see {@link Durations}.
 */
public final class CoordinatorBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorBuilder.class);

    private InstantSource clock = InstantSource.system();
    private RandomGenerator random;
    private Boolean verifiedOwners;
    private boolean openSignUp;
    private int newKeysPerOwnerHour = 10;
    private ClassLoader classLoader;
    private Store store;
    private String storeName = "memory";
    private final Map<String, String> storeSettings = new LinkedHashMap<>();
    private TrustPolicy trustPolicy;
    private String trustName;
    private final Map<String, String> trustSettings = new LinkedHashMap<>();
    private final List<Validator> validators = new ArrayList<>();
    private final Set<String> validatorNames = new LinkedHashSet<>();
    private final List<EventListener> listeners = new ArrayList<>();
    private Instrumentation instrumentation = Instrumentation.NONE;
    private final Map<String, Map<String, String>> transports = new LinkedHashMap<>();
    private KeyPair signingKey;
    private Path signingKeyFile;
    private byte[] challengeSecret;
    private boolean signatures = true;
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration offlineAfter = Duration.ofSeconds(90);
    private Duration housekeepingInterval = Duration.ofSeconds(1);
    private Duration purgeAfter = Duration.ofDays(30);
    private Duration challengeTtl = Duration.ofMinutes(2);
    private int maxLeaseBatch = 1_000;
    private int maxSubmitBatch = 10_000;
    private int maxReportBatch = 1_000;
    private Duration maxLongPoll = Duration.ofSeconds(30);
    private int maxPayloadBytes = 1 << 20;
    private int maxResultBytes = 1 << 20;
    private int ownerLeaseLimit = Integer.MAX_VALUE;
    private double workerLeaseRate;
    private double ownerLeaseRate;
    private int rejectionsPerMinute = 20;
    private final Set<String> allowedClientBuilds = new LinkedHashSet<>();

    CoordinatorBuilder() {}

    /** @param clock the time source for leases, heartbeats and the ledger; the system clock by default */
    public CoordinatorBuilder clock(InstantSource clock) {
        this.clock = require(clock, "clock");
        return this;
    }

    /**
     * @param random the coordinator's choices by chance (which accepted jobs become spot-checks),
     *               seeded for a reproducible run; a {@link SecureRandom} by default, which workers
     *               cannot predict
     */
    public CoordinatorBuilder random(RandomGenerator random) {
        this.random = require(random, "random");
        return this;
    }

    /** @param loader where named plug-ins are looked for; the context class loader by default */
    public CoordinatorBuilder classLoader(ClassLoader loader) {
        this.classLoader = require(loader, "classLoader");
        return this;
    }

    /** Uses this store. The caller keeps ownership: stopping the coordinator does not close it. */
    public CoordinatorBuilder store(Store store) {
        this.store = require(store, "store");
        return this;
    }

    /** Opens the store named {@code name} ({@code memory} by default) with these settings; the coordinator closes it. */
    public CoordinatorBuilder store(String name, Map<String, String> settings) {
        this.store = null;
        this.storeName = require(name, "store name");
        this.storeSettings.clear();
        this.storeSettings.putAll(require(settings, "store settings"));
        return this;
    }

    /** Uses this trust policy. */
    public CoordinatorBuilder trustPolicy(TrustPolicy policy) {
        this.trustPolicy = require(policy, "trustPolicy");
        return this;
    }

    /** Creates the trust policy named {@code name} ({@code allowlist}, {@code quorum}, ...) with these settings. */
    public CoordinatorBuilder trustPolicy(String name, Map<String, String> settings) {
        this.trustPolicy = null;
        this.trustName = require(name, "trust policy name");
        this.trustSettings.clear();
        this.trustSettings.putAll(require(settings, "trust settings"));
        return this;
    }

    /** Adds validators; each handles one job type, and jobs of types without one are refused. */
    public CoordinatorBuilder validator(Validator... validators) {
        for (Validator v : require(validators, "validators")) {
            this.validators.add(require(v, "validator"));
        }
        return this;
    }

    /** Adds validators found with {@link java.util.ServiceLoader} by job type name. */
    public CoordinatorBuilder validators(String... names) {
        for (String n : require(names, "validator names")) {
            validatorNames.add(require(n, "validator name"));
        }
        return this;
    }

    /**
     * Serves the coordinator through the transport named {@code name} (e.g. {@code http}) with these
     * settings; it starts and stops with the coordinator. May be called for several transports.
     */
    public CoordinatorBuilder transport(String name, Map<String, String> settings) {
        transports.put(require(name, "transport name"), Map.copyOf(require(settings, "transport settings")));
        return this;
    }

    /** Adds an event listener (a result sink, a logger, metrics); a failing listener is isolated. */
    public CoordinatorBuilder listener(EventListener listener) {
        listeners.add(require(listener, "listener"));
        return this;
    }

    /** Sets what records timings and counts ({@link dev.muster.core.metrics.MusterMetrics}); also a listener if one. */
    public CoordinatorBuilder instrumentation(Instrumentation instrumentation) {
        this.instrumentation = require(instrumentation, "instrumentation");
        return this;
    }

    /**
     * Sets the Ed25519 key pair that signs ticket batches. Workers pin its public half, so a pool
     * keeps one key across restarts and shares it between its coordinators. When neither this nor
     * {@link #signingKeyFile} is set, the store keeps the pool's key ({@link
     * dev.muster.spi.store.Store#sharedSecret}): one key for every coordinator on one database,
     * kept across restarts; a fresh one at every start with the memory store.
     */
    public CoordinatorBuilder signingKey(KeyPair key) {
        this.signingKey = require(key, "signingKey");
        this.signingKeyFile = null;
        return this;
    }

    /**
     * Keeps the ticket-signing key pair in a PEM file (property {@code signing.keyFile}), created
     * at {@link #build} if it does not exist yet; see {@link Keys#loadOrCreate}.
     */
    public CoordinatorBuilder signingKeyFile(Path file) {
        this.signingKeyFile = require(file, "signingKeyFile");
        this.signingKey = null;
        return this;
    }

    /**
     * @param secret HMAC secret for registration challenges, at least 32 bytes; coordinators that
     *               share a pool must share it. By default the store keeps one for the pool
     *               ({@link dev.muster.spi.store.Store#sharedSecret}).
     */
    public CoordinatorBuilder challengeSecret(byte[] secret) {
        require(secret, "challengeSecret");
        if (secret.length < 32) {
            throw new ConfigurationException("challengeSecret must be at least 32 bytes, was " + secret.length);
        }
        this.challengeSecret = secret.clone();
        return this;
    }

    /**
     * @param on whether tickets are signed and result signatures verified (default true). Turning
     *           this off is only sound for a trusted pool on a trusted network.
     */
    public CoordinatorBuilder signatures(boolean on) {
        this.signatures = on;
        return this;
    }

    /** @param interval a worker that misses one is degraded; default 30 s */
    public CoordinatorBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = require(interval, "heartbeatInterval");
        return this;
    }

    /** @param after a worker silent this long is offline and its leases go back to the queue; default 90 s */
    public CoordinatorBuilder offlineAfter(Duration after) {
        this.offlineAfter = require(after, "offlineAfter");
        return this;
    }

    /**
     * @param interval how often {@link Coordinator#start()} runs housekeeping (expiry, health) on a
     *                 background thread; default 1 s, or {@link Duration#ZERO} to leave it to the
     *                 caller ({@link Coordinator#runHousekeeping()}), as tests with a fake clock do
     */
    public CoordinatorBuilder housekeepingInterval(Duration interval) {
        this.housekeepingInterval = require(interval, "housekeepingInterval");
        return this;
    }

    /**
     * @param after finished jobs older than this are purged from a store that keeps history
     *              (results have long since gone to the sinks; leaderboard totals stay); default
     *              30 days, or {@link Duration#ZERO} to keep them all
     */
    public CoordinatorBuilder purgeAfter(Duration after) {
        this.purgeAfter = require(after, "purgeAfter");
        return this;
    }

    /** @param ttl how long a registration challenge stays valid; default 2 minutes */
    public CoordinatorBuilder challengeTtl(Duration ttl) {
        this.challengeTtl = require(ttl, "challengeTtl");
        return this;
    }

    /** @param max most jobs one lease call returns; default 1000 */
    public CoordinatorBuilder maxLeaseBatch(int max) {
        this.maxLeaseBatch = max;
        return this;
    }

    /** @param max most jobs one submit call takes; default 10000 */
    public CoordinatorBuilder maxSubmitBatch(int max) {
        this.maxSubmitBatch = max;
        return this;
    }

    /** @param wait longest long poll a worker may ask for on lease, at most 2 minutes; default 30 seconds */
    public CoordinatorBuilder maxLongPoll(Duration wait) {
        this.maxLongPoll = require(wait, "maxLongPoll");
        return this;
    }

    /** @param max most results one report call takes; default 1000 */
    public CoordinatorBuilder maxReportBatch(int max) {
        this.maxReportBatch = max;
        return this;
    }

    /** @param max largest job payload in bytes, at most 256 MiB; default 1 MiB */
    public CoordinatorBuilder maxPayloadBytes(int max) {
        this.maxPayloadBytes = max;
        return this;
    }

    /** @param max largest result in bytes, at most 256 MiB; default 1 MiB */
    public CoordinatorBuilder maxResultBytes(int max) {
        this.maxResultBytes = max;
        return this;
    }

    /** @param max most leases all workers of one owner may hold at once; unlimited by default */
    public CoordinatorBuilder ownerLeaseLimit(int max) {
        this.ownerLeaseLimit = max;
        return this;
    }

    /**
     * @param perSecond most jobs one worker may lease per second (a bucket of one second's worth);
     *                  0, the default, for no limit
     */
    public CoordinatorBuilder workerLeaseRate(double perSecond) {
        this.workerLeaseRate = perSecond;
        return this;
    }

    /**
     * @param perSecond most jobs all workers of one owner may lease per second together; 0, the
     *                  default, for no limit
     */
    public CoordinatorBuilder ownerLeaseRate(double perSecond) {
        this.ownerLeaseRate = perSecond;
        return this;
    }

    /**
     * @param perMinute rejection-log rows one worker may cause a minute (and at once); what is over
     *                  is counted in one summary row instead. 20 by default
     */
    public CoordinatorBuilder rejectionsPerMinute(int perMinute) {
        this.rejectionsPerMinute = perMinute;
        return this;
    }

    /** @param builds client build digests workers must report one of; any build when empty (the default) */
    public CoordinatorBuilder allowedClientBuilds(Set<String> builds) {
        allowedClientBuilds.clear();
        allowedClientBuilds.addAll(require(builds, "allowedClientBuilds"));
        return this;
    }

    /**
     * @param verified {@code true} (property {@code owners.accounts=verified}): workers register under
     *                 an owner account with its secret; {@code false} ({@code declared}): the owner is
     *                 the name a worker gives. Default: verified for a policy that counts owners
     *                 ({@link TrustPolicy#ownerAccounts()}; it refuses declared), else declared
     */
    public CoordinatorBuilder ownerAccounts(boolean verified) {
        this.verifiedOwners = verified;
        return this;
    }

    /** @param open whether anyone may create an owner account ({@code owners.signup=open}); default closed */
    public CoordinatorBuilder ownerSignUp(boolean open) {
        this.openSignUp = open;
        return this;
    }

    /** @param perHour new keys one verified owner may register per hour ({@code owners.newKeysPerHour}), 0 for no limit; default 10 */
    public CoordinatorBuilder newKeysPerOwnerPerHour(int perHour) {
        if (perHour < 0) {
            throw new ConfigurationException("newKeysPerOwnerPerHour (owners.newKeysPerHour) must not be negative, was "
                    + perHour);
        }
        this.newKeysPerOwnerHour = perHour;
        return this;
    }

    /**
     * Applies settings from properties (see the class documentation for the keys).
     *
     * @throws ConfigurationException for an unknown key or a malformed value, naming it
     */
    public CoordinatorBuilder configure(Map<String, String> properties) {
        BuilderProperties.apply(this, require(properties, "properties"));
        return this;
    }

    /** @return the name of the store to open, for properties that set only its settings */
    String storeName() {
        return storeName;
    }

    /**
     * Checks the settings, loads named plug-ins and builds a coordinator that is not yet started.
     *
     * @throws ConfigurationException if a setting is missing, out of range or contradicts another
     * @throws dev.muster.spi.PluginException if a named plug-in cannot be found or loaded
     */
    public Coordinator build() {
        SettingChecks.timing(heartbeatInterval, offlineAfter, challengeTtl, purgeAfter, housekeepingInterval);
        SettingChecks.between(maxLongPoll, Duration.ZERO, LongPolls.MAX_WAIT, "maxLongPoll (lease.maxWait)");
        SettingChecks.limits(maxLeaseBatch, maxSubmitBatch, maxReportBatch, maxPayloadBytes, maxResultBytes,
                ownerLeaseLimit, rejectionsPerMinute, workerLeaseRate, ownerLeaseRate);
        if (trustPolicy == null && trustName == null) {
            throw new ConfigurationException("no trust policy is set: choose 'allowlist' (a trusted pool), 'quorum' or "
                    + "'credibility' (an open pool), by name or as an instance");
        }
        ClassLoader loader = classLoader != null ? classLoader
                : Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : CoordinatorBuilder.class.getClassLoader();

        Map<String, Validator> byType = Validators.byType(validators, validatorNames, loader);
        TrustPolicy policy = trustPolicy != null ? trustPolicy
                : Plugins.load(TrustPolicyProvider.class, trustName, loader).create(Map.copyOf(trustSettings));
        if (policy.ownerAccounts() && Boolean.FALSE.equals(verifiedOwners)) {
            throw new ConfigurationException("trust policy '" + policy.name() + "' counts owners, so they must be"
                    + " verified: owners.accounts=declared does not go with it");
        }
        boolean verified = verifiedOwners != null ? verifiedOwners : policy.ownerAccounts();
        if (!signatures) {
            LOG.warn("signatures are off: tickets are not signed and results are not verified; only sound for a "
                    + "trusted pool on a trusted network");
        }
        List<TransportProvider> transportProviders = Transports.checked(transports, loader);
        KeyPair fileKey = signingKey == null && signingKeyFile != null ? PoolSecrets.fromFile(signingKeyFile) : null;
        boolean ownsStore = store == null;
        Instrumentation guarded = GuardedInstrumentation.of(instrumentation);
        Store s = TimedStore.wrap(ownsStore ? Plugins.load(StoreProvider.class, storeName, loader)
                .open(Map.copyOf(storeSettings)) : store, guarded);
        PoolSecrets secrets = PoolSecrets.resolve(signingKey != null ? signingKey : fileKey, challengeSecret, s,
                ownsStore);
        CoordinatorSettings settings = new CoordinatorSettings(clock, signatures, heartbeatInterval, offlineAfter,
                housekeepingInterval, maxLeaseBatch, maxSubmitBatch, maxReportBatch, maxPayloadBytes, maxResultBytes,
                ownerLeaseLimit, workerLeaseRate, ownerLeaseRate, Set.copyOf(allowedClientBuilds), purgeAfter,
                rejectionsPerMinute, maxLongPoll, random, verified, openSignUp, newKeysPerOwnerHour, guarded);
        List<EventListener> all = new ArrayList<>(listeners);
        if (instrumentation instanceof EventListener l && !all.contains(l)) {
            all.add(l);
        }
        Coordinator built = new Coordinator(settings, s, ownsStore, policy, Map.copyOf(byType), new Listeners(all),
                secrets.signingKey(), new ChallengeIssuer(secrets.challengeSecret(), challengeTtl),
                transportProviders, List.copyOf(transports.values()));
        instrumentation.attached(built);
        return built;
    }

}
