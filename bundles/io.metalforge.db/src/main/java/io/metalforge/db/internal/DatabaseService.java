package io.metalforge.db.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * The platform's {@link Database}. Without configuration it is an H2 file database in {@code <data>/db}, opened with
 * H2's auto-server so the admin command line can use it while the appliance runs (the distribution sets
 * {@code h2.bindAddress=127.0.0.1} so it listens on loopback only and skips a reverse DNS lookup, and a password
 * generated at first start and kept in {@code <data>/db/h2.password}, mode 600, keeps other local users out). With a {@code jdbc:postgresql:} URL configured under PID {@value DatabaseConfiguration#PID} it is
 * PostgreSQL. A configuration that changes nothing leaves it running; one that changes the settings re-creates it.
 */
@Component(service = Database.class, configurationPid = DatabaseConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfiguration.class)
public class DatabaseService implements Database {

    static final long BORROW_TIMEOUT_MILLIS = 30_000;

    private final JdbcSettings settings;
    private final String kind;
    private final ConnectionPool pool;
    private final Migrator migrator;
    private final Path embeddedFolder;
    private final java.util.concurrent.atomic.AtomicBoolean filesProtected = new java.util.concurrent.atomic.AtomicBoolean();
    @Activate
    public DatabaseService(@Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger, DatabaseConfiguration config) {
        this(settings(directories, config, warnings(logger)));
    }

    DatabaseService(JdbcSettings settings) {
        this(settings, BORROW_TIMEOUT_MILLIS);
    }

    DatabaseService(JdbcSettings settings, long borrowTimeoutMillis) {
        this.settings = settings;
        this.kind = settings.kind();
        this.pool = new ConnectionPool(this::open, settings.poolSize(), borrowTimeoutMillis, kind.equals("h2"));
        this.migrator = new Migrator(pool, settings.url());
        this.embeddedFolder = embeddedFolder(settings.url());
    }

    /** The folder of an embedded H2 file database, or null. */
    private static Path embeddedFolder(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String file = url.substring("jdbc:h2:file:".length());
        int semicolon = file.indexOf(';');
        Path p = Path.of(semicolon < 0 ? file : file.substring(0, semicolon));
        return p.getParent();
    }

    /**
     * Settings of the embedded database in {@code folder}. The folder is made private (0700) and the database
     * files 0600: they hold API key hashes and every BMC password. Finding them open to others is reported once
     * through {@code warn} before they are closed.
     */
    static JdbcSettings embedded(Path folder, int poolSize, java.util.function.Consumer<String> warn) {
        JdbcSettings settings = embedded(folder, poolSize);
        PrivateFiles.protect(folder, warn);
        return settings;
    }

    private static JdbcSettings settings(PlatformDirectories directories, DatabaseConfiguration config,
            java.util.function.Consumer<String> warn) {
        return config.url().isBlank() ? embedded(directories.data().resolve("db"), config.pool__size(), warn)
                : new JdbcSettings(config.url().strip(), config.user(), config.password(), config.pool__size());
    }

    private static java.util.function.Consumer<String> warnings(Logger logger) {
        return logger == null ? System.err::println : logger::warn;
    }

    /** Settings of the embedded database in {@code folder}. */
    static JdbcSettings embedded(Path folder, int poolSize) {
        try {
            PrivateFiles.createPrivateDirectories(folder);
            Path passwordFile = folder.resolve("h2.password");
            boolean fresh = !Files.exists(folder.resolve("metalforge.mv.db"));
            String password = "";
            if (Files.exists(passwordFile)) {
                password = Files.readString(passwordFile).strip();
            } else if (fresh) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                password = HexFormat.of().formatHex(random);
                Files.writeString(passwordFile, password);
                try {
                    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions apply
                }
            }
            String url = "jdbc:h2:file:" + folder.resolve("metalforge").toAbsolutePath()
                    + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
            return new JdbcSettings(url, "metalforge", password, poolSize);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the database folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", settings.password());
        // The drivers are called directly: DriverManager cannot see bundle class loaders.
        Connection c = switch (kind) {
        case "h2" -> new org.h2.Driver().connect(settings.url(), props);
        case "postgresql" -> new org.postgresql.Driver().connect(settings.url(), props);
        default -> null;
        };
        if (c == null) {
            throw new SQLException("The " + kind + " driver does not accept the configured URL");
        }
        if (embeddedFolder != null && filesProtected.compareAndSet(false, true)) {
            // the first open created the database files with the process's umask: close them to others now
            PrivateFiles.protect(embeddedFolder, message -> {
            });
        }
        return c;
    }

    /** Closes the pool; also what tests of other bundles call when they use a real database. */
    @Deactivate
    public void close() {
        pool.close();
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.borrow();
    }

    @Override
    public void migrate(String owner, List<Migration> migrations) throws SQLException {
        migrator.migrate(owner, migrations);
    }

    /** Versions of {@code owner} applied so far. */
    List<Integer> appliedVersions(String owner) throws SQLException {
        return migrator.applied(owner);
    }

    ConnectionPool pool() {
        return pool;
    }

    @Override
    public String toString() {
        return "Database[" + settings + "]";
    }
}
