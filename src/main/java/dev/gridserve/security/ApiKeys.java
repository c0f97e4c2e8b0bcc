package dev.gridserve.security;

import dev.gridserve.security.ApiKeyRepository.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * API keys: {@code gs_<id>_<secret>}, 32 random bytes of secret, shown once when created; only the secret's
 * SHA-256 is stored. The id finds the key; the secret is checked in constant time. Every instance keeps the
 * working keys in memory and re-reads them every {@code keyRefreshInterval}, so a revoked key stops working
 * everywhere within about that long, and checking a key costs no database call. When the database is away the
 * last set read stays in force. An admin key can also come from configuration ({@code ADMIN_API_KEY}).
 */
@Component
public class ApiKeys implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "gs_";
    /** The name of the admin key given by configuration; no stored key can have it (names have no brackets). */
    static final String CONFIGURED_ADMIN = "(configured)";
    /** Compared with when the id is unknown, so that an unknown id takes as long as a wrong secret. */
    private static final byte[] NOTHING = sha256("no key has this secret");

    /** Whom a working key belongs to. */
    public record Owner(String name, Role role, String keyId) {}

    /** A key just created: {@code key} is the only time its secret is seen. */
    public record Created(String name, Role role, String key, Instant createdAt) {}

    /** A key as listed: never its secret. */
    public record Listed(String name, Role role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    private record Active(String name, Role role, byte[] secretHash) {}

    private final ApiKeyRepository repository;
    private final byte[] configuredAdmin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("api-keys").unstarted(r));
    private volatile Map<String, Active> active = Map.of();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    ApiKeys(ApiKeyRepository repository, SecurityProperties props) {
        this.repository = repository;
        this.configuredAdmin = props.adminKey() == null ? null : sha256(props.adminKey());
        long every = props.keyRefreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flushLastUsed, 30, 30, TimeUnit.SECONDS);
    }

    /** The caller a presented key belongs to, when it is a working key. */
    public Optional<Owner> verify(String presented) {
        if (configuredAdmin != null && MessageDigest.isEqual(sha256(presented), configuredAdmin)) {
            return Optional.of(new Owner(CONFIGURED_ADMIN, Role.ADMIN, null));
        }
        int split = presented.indexOf('_', PREFIX.length());
        if (!presented.startsWith(PREFIX) || split < 0) {
            return Optional.empty();
        }
        String keyId = presented.substring(PREFIX.length(), split);
        Active key = active.get(keyId);
        boolean same =
                MessageDigest.isEqual(sha256(presented.substring(split + 1)), key == null ? NOTHING : key.secretHash());
        if (key == null || !same) {
            return Optional.empty();
        }
        lastUsed.put(keyId, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        return Optional.of(new Owner(key.name(), key.role(), keyId));
    }

    /** Creates a key; throws {@link DuplicateKeyException} when the name is taken. */
    public Created create(String name, Role role) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int attempt = 0; ; attempt++) {
            String keyId = HexFormat.of().formatHex(randomBytes(4));
            try {
                repository.insert(new StoredKey(
                        keyId, name, role, HexFormat.of().formatHex(sha256(secretText)), now, null, null));
                refresh();
                return new Created(name, role, PREFIX + keyId + "_" + secretText, now);
            } catch (DuplicateKeyException e) {
                if (repository.byName(name).isPresent() || attempt > 5) {
                    throw e; // the name is taken (or, absurdly, ids keep colliding)
                }
            }
        }
    }

    /** Revokes a key by name; false when no working key has that name. */
    public boolean revoke(String name) {
        boolean done = repository.revoke(name, Instant.now());
        if (done) {
            refresh();
        }
        return done;
    }

    public List<Listed> list() {
        return repository.all().stream()
                .map(k -> new Listed(k.name(), k.role(), k.createdAt(), k.lastUsedAt(), k.revokedAt()))
                .toList();
    }

    /** Whether any key was ever created in this database (revoked ones included). */
    public boolean any() {
        return repository.count() > 0;
    }

    void refresh() {
        active = repository.active().stream()
                .collect(Collectors.toUnmodifiableMap(
                        StoredKey::keyId,
                        k -> new Active(k.name(), k.role(), HexFormat.of().parseHex(k.secretHash())),
                        (a, b) -> a));
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.debug("API keys not re-read ({}); the last set read stays in force", e.toString());
        }
    }

    private void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = lastUsed.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), lastUsed::remove, (a, b) -> a));
        try {
            repository.touch(batch);
        } catch (RuntimeException e) {
            batch.forEach(lastUsed::putIfAbsent); // next time
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public void destroy() throws InterruptedException {
        timer.shutdown();
        flushLastUsed();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
