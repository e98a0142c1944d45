package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.db.Migration;

/**
 * The embedded database on a file system that fills up: a real 8 MiB tmpfs mounted for the test (needs root, as CI
 * runs; skipped with the reason otherwise), filled by another writer until H2's writes fail, then freed. The same
 * {@link DatabaseService} must answer again without a restart, with every committed row still there.
 */
class DiskFullH2Test {

    @TempDir
    Path folder;

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @Test
    void aFullDiskFailsWritesClearlyAndTheDatabaseReopensItselfOnceSpaceReturns() throws Exception {
        Assumptions.assumeTrue(root(), "mounting a small tmpfs needs root (CI runs as root)");
        Path mount = folder.resolve("small");
        Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mount.toString());
        DatabaseService db = null;
        try {
            db = new DatabaseService(DatabaseService.embedded(mount.resolve("db"), 4));
            db.migrate("diskfull", List.of(new Migration(1, "t",
                    "CREATE TABLE diskfull_t (n INTEGER PRIMARY KEY, payload VARCHAR(100000))")));
            String payload = "x".repeat(50_000);
            int committed = 0;
            for (; committed < 20; committed++) {
                insert(db, committed, payload);
            }
            // another writer takes every free byte
            Path filler = mount.resolve("filler");
            run("sh", "-c", "dd if=/dev/zero of=" + filler + " bs=64k 2>/dev/null; sync; true");
            SQLException failure = null;
            for (int i = 0; i < 200 && failure == null; i++) {
                try {
                    insert(db, 1000 + i, payload + i); // distinct, incompressible enough to need new pages
                    committed++;
                } catch (SQLException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null, "a write failed for lack of space");
            assertTrue(DatabaseFaults.diskFull(failure), "the failure says the disk is full: " + failure);

            Files.delete(filler);
            // the same service, no restart: writes and reads work again and nothing committed was lost
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            SQLException last = null;
            boolean recovered = false;
            while (!recovered && System.nanoTime() < deadline) {
                try {
                    insert(db, 5000, "after");
                    recovered = true;
                } catch (SQLException e) {
                    last = e;
                    Thread.sleep(200);
                }
            }
            assertTrue(recovered, "writes work again once space returned: " + trace(last));
            try (Connection c = db.connection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT n FROM diskfull_t WHERE n < 5000 ORDER BY n")) {
                java.util.Set<Integer> present = new java.util.TreeSet<>();
                while (rs.next()) {
                    present.add(rs.getInt(1));
                }
                java.util.Set<Integer> expected = new java.util.TreeSet<>();
                for (int i = 0; i < 20; i++) {
                    expected.add(i);
                }
                for (int i = 0; i < committed - 20; i++) {
                    expected.add(1000 + i);
                }
                assertTrue(present.containsAll(expected), "every committed row is there: " + present);
                // the write that failed may have reached the file before the failure was seen; nothing else did
                present.removeAll(expected);
                assertTrue(present.isEmpty() || present.equals(java.util.Set.of(1000 + committed - 20)),
                        "rows that were never written: " + present);
            }
        } finally {
            if (db != null) {
                db.close();
            }
            run("umount", "-l", mount.toString());
        }
    }

    private static String trace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        if (e != null) {
            e.printStackTrace(new java.io.PrintWriter(w));
        }
        return w.toString().lines().limit(30).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void insert(DatabaseService db, int n, String payload) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO diskfull_t (n, payload) VALUES (?, ?)")) {
            ps.setInt(1, n);
            ps.setString(2, payload + Long.toHexString(Double.doubleToLongBits(Math.random())).repeat(2000));
            ps.executeUpdate();
        }
    }
}
