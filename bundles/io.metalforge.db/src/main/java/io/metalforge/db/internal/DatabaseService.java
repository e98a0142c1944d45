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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformExecutor;

/**
 * The platform's {@link Database}. Without configuration it is an H2 file database in {@code <data>/db}, opened with
 * H2's auto-server so the admin command line can use it while the appliance runs (the distribution sets
 * {@code h2.bindAddress=127.0.0.1} so it listens on loopback only and skips a reverse DNS lookup, and a password
 * generated at first start and kept in {@code <data>/db/h2.password}, mode 600, keeps other local users out). With a {@code jdbc:postgresql:} URL configured under PID {@value DatabaseConfiguration#PID} it is
 * PostgreSQL. A configuration that changes nothing leaves it running; one that changes the settings re-creates it.
 * <p>
 * Connections come from the driver's {@link DataSourceFactory} service through a HikariCP pool
 * ({@link PooledConnections}). A full disk is survivable: the embedded database acknowledges a commit only once it
 * is in its file, keeps a {@link DiskReserve} it releases when a write fails for lack of space, reopens once the
 * failed database's connections are evicted, and never opens an empty database in place of the one it had.
 * <p>
 * It is opened as soon as the component is active, on a platform thread: the distribution starts the platform and
 * the database at start level 1 and the other bundles at higher levels, so creating or opening the database (a
 * quarter of a second for a new embedded one) overlaps with starting those bundles, instead of holding up the first
 * component that needs it, such as the catalog with its migrations.
 */
@Component(service = Database.class, immediate = true, configurationPid = DatabaseConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfiguration.class)
public class DatabaseService implements Database {

    static final long BORROW_TIMEOUT_MILLIS = 30_000;
    static final String H2_FILE = "metalforge.mv.db";
    /** The driver class each kind of database is opened with. */
    static final Map<String, String> DRIVER_CLASSES = Map.of("h2", "org.h2.Driver", "postgresql",
            "org.postgresql.Driver");
    /** H2: "Database ... not found, and IFEXISTS=true". */
    private static final int H2_NOT_FOUND = 90146;

    private final JdbcSettings settings;
    private final String kind;
    private final PooledConnections pool;
    /** The DataSourceFactory services of the JDBC drivers, by {@value DataSourceFactory#OSGI_JDBC_DRIVER_CLASS}. */
    private final Map<String, DataSourceFactory> drivers = new ConcurrentHashMap<>();
    private final Migrator migrator;
    private final Path embeddedFolder;
    /** The embedded database's file, or null. */
    private final Path embeddedFile;
    private final boolean existedAtStart;
    private final DiskReserve reserve;
    private final BrokenConnectionLog brokenConnections;
    /** Set once an embedded connection saw the migrations table: from then on, a database without it is refused. */
    private volatile boolean schemaSeen;
    private volatile boolean openedOnce;
    /** Opens the database once the component is active; null outside a framework. */
    private PlatformExecutor opener;

    @Activate
    public DatabaseService(@Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger, DatabaseConfiguration config,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) {
        this(settings(directories, config, warnings(logger)), BORROW_TIMEOUT_MILLIS,
                config.reserve__bytes(), warnings(logger), infos(logger));
        this.opener = executor;
    }

    @Activate
    void openAtOnce() {
        if (opener != null) {
            opener.submit("open", () -> {
                try (Connection c = connection()) {
                    // opened: the pool keeps the connection for the first component that asks
                } catch (SQLException e) {
                    // not reported here: the first use of the database meets the same failure and reports it
                }
            });
        }
    }

    DatabaseService(JdbcSettings settings) {
        this(settings, BORROW_TIMEOUT_MILLIS);
    }

    DatabaseService(JdbcSettings settings, long borrowTimeoutMillis) {
        this(settings, borrowTimeoutMillis, 0, System.err::println, message -> {
        });
    }

    /**
     * @param reserveBytes space kept free for the embedded database ({@link DiskReserve}); 0 for none
     */
    DatabaseService(JdbcSettings settings, long borrowTimeoutMillis, long reserveBytes,
            java.util.function.Consumer<String> warn, java.util.function.Consumer<String> info) {
        this.settings = settings;
        this.kind = settings.kind();
        this.embeddedFolder = embeddedFolder(settings.url());
        this.embeddedFile = embeddedFolder == null ? null : embeddedFolder.resolve(H2_FILE);
        this.existedAtStart = embeddedFile != null && Files.exists(embeddedFile);
        this.reserve = embeddedFolder == null ? null
                : new DiskReserve(embeddedFolder.resolve(DiskReserve.FILE_NAME), reserveBytes, warn, info);
        if (reserve != null && !reserve.create()) {
            warn.accept("Not enough free space on " + embeddedFolder + " for the database's " + reserveBytes
                    / (1024 * 1024) + " MiB disk reserve; it is written once space is freed.");
        }
        this.brokenConnections = new BrokenConnectionLog(warn, System::currentTimeMillis);
        this.pool = new PooledConnections("metalforge-db", this::open, settings.poolSize(), borrowTimeoutMillis,
                this::failed);
        this.migrator = new Migrator(pool, settings.url());
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

    private static java.util.function.Consumer<String> infos(Logger logger) {
        return logger == null ? System.err::println : logger::info;
    }

    /** Settings of the embedded database in {@code folder}. */
    static JdbcSettings embedded(Path folder, int poolSize) {
        try {
            PrivateFiles.createPrivateDirectories(folder);
            Path passwordFile = folder.resolve("h2.password");
            boolean fresh = !Files.exists(folder.resolve(H2_FILE));
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
            // WRITE_DELAY=0: a commit returns once H2 has written it to its file, so a write that fails for lack of
            // space fails its own commit. With H2's default (written within 500 ms, in the background), commits
            // acknowledged to clients were lost when the background write failed on a full disk and H2 closed.
            String url = "jdbc:h2:file:" + folder.resolve("metalforge").toAbsolutePath()
                    + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
            return new JdbcSettings(url, "metalforge", password, poolSize);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the database folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String missing(Path file) {
        return "The embedded database " + file + " has disappeared; refusing to create an empty database in its "
                + "place. Stop the service and restore the file from a backup.";
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", settings.password());
        String url = settings.url();
        if (embeddedFile != null) {
            if (existedAtStart || openedOnce) {
                url += ";IFEXISTS=TRUE"; // H2 must never create a new, empty database over the one we had
            }
        }
        Connection c;
        try {
            c = connect(url, props);
        } catch (SQLException e) {
            if (embeddedFile != null && e.getErrorCode() == H2_NOT_FOUND) {
                throw new SQLException(missing(embeddedFile), "08001", e);
            }
            if (!releaseReserveIfFull(e)) {
                throw e;
            }
            c = connect(url, props); // the reserve's space lets H2 write its lock file and reopen
        }
        if (embeddedFile != null) {
            refuseIfEmptied(c);
            openedOnce = true;
        }
        if (embeddedFolder != null) {
            // opening created or re-created files (the database, its lock file) with the process's umask: close
            // them to others now, each time, since H2 re-creates its lock file when it reopens after a failure
            PrivateFiles.protect(embeddedFolder, message -> {
            });
        }
        return c;
    }

    /**
     * Refuses an embedded database that lost its tables: after a failed write H2 can fall back to an old version
     * of its file, which may be from before the schema existed. Using it would answer as if every record were gone,
     * and write new ones over the old file.
     */
    private void refuseIfEmptied(Connection c) throws SQLException {
        boolean schema;
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SCHEMA_MIGRATIONS'")) {
            schema = rs.next() && rs.getInt(1) > 0;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        if (schema) {
            schemaSeen = true;
        } else if (schemaSeen) {
            c.close();
            throw new SQLException("The embedded database " + embeddedFile + " reopened without its tables after "
                    + "a failure; refusing to use it. Stop the service and restore the file from a backup.", "08006");
        }
    }

    /**
     * Opens a connection through the driver's {@link DataSourceFactory} service (the OSGi JDBC way: the drivers
     * register one each, and DriverManager cannot see bundle class loaders).
     */
    private Connection connect(String url, Properties props) throws SQLException {
        String driverClass = DRIVER_CLASSES.get(kind);
        DataSourceFactory factory = drivers.get(driverClass);
        if (factory == null) {
            throw new SQLException("The " + kind + " JDBC driver is not available: no DataSourceFactory service "
                    + "with " + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + driverClass + " is registered "
                    + "(install and start its bundle)", "08001");
        }
        Connection c = factory.createDriver(null).connect(url, props);
        if (c == null) {
            throw new SQLException("The " + kind + " driver does not accept the configured URL");
        }
        return c;
    }

    /** A failure of a lent connection: when it is a full disk, the embedded database's reserve is released. */
    private void failed(SQLException e) {
        if (DatabaseFaults.connectionBroken(e)) {
            brokenConnections.broken(e);
        }
        releaseReserveIfFull(e);
    }

    private boolean releaseReserveIfFull(SQLException e) {
        return reserve != null && DatabaseFaults.diskFull(e) && reserve.release();
    }

    /** A JDBC driver's factory arrived (they are registered by the H2 and PostgreSQL bundles themselves). */
    @Reference(service = DataSourceFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDriver(DataSourceFactory factory, Map<String, Object> properties) {
        Object driverClass = properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS);
        if (driverClass != null) {
            drivers.put(driverClass.toString(), factory);
        }
    }

    void removeDriver(DataSourceFactory factory, Map<String, Object> properties) {
        Object driverClass = properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS);
        if (driverClass != null) {
            drivers.remove(driverClass.toString(), factory);
        }
    }

    /** Whether the embedded database's disk reserve is in place (for tests). */
    boolean reservePresent() {
        return reserve == null || reserve.present();
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
    public boolean createdByThisStart() {
        return embeddedFile != null && !existedAtStart;
    }

    @Override
    public Connection connection() throws SQLException {
        if (reserve != null) {
            reserve.restoreIfRoom();
        }
        return pool.borrow();
    }

    @Override
    public void migrate(String owner, List<Migration> migrations) throws SQLException {
        migrator.migrate(owner, migrations);
        schemaSeen = true;
    }

    /** Versions of {@code owner} applied so far. */
    List<Integer> appliedVersions(String owner) throws SQLException {
        return migrator.applied(owner);
    }

    PooledConnections pool() {
        return pool;
    }

    @Override
    public String toString() {
        return "Database[" + settings + "]";
    }
}
