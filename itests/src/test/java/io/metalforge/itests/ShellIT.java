package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The shell explains itself, through a Gogo session on the distribution's bundle set: {@code help} lists every
 * Metalforge command, {@code help <command>} describes it and each parameter, a bare call prints usage (never a
 * coercion error), and {@code exit} leaves the console while the platform keeps running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {

    /** Bare calls that would start work rather than print something. */
    private static final Set<String> NOT_CALLED_BARE = Set.of("startimport");

    @Inject
    BundleContext context;

    @Inject
    CommandProcessor shell;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    /** Runs one line; the result as Gogo would print it, plus whatever the command printed. */
    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(line);
            return (result == null ? "" : session.format(result, 0)) + out.toString(StandardCharsets.UTF_8);
        }
    }

    private Set<String> metalforgeFunctions() throws Exception {
        Set<String> functions = new TreeSet<>();
        for (ServiceReference<?> ref : context.getServiceReferences((String) null, "(osgi.command.scope=metalforge)")) {
            Object value = ref.getProperty("osgi.command.function");
            for (String f : value instanceof String[] list ? list : new String[] { String.valueOf(value) }) {
                functions.add(f);
            }
        }
        return functions;
    }

    @Test
    public void helpListsAndDescribesEveryCommandAndBareCallsPrintUsage() throws Exception {
        Set<String> functions = metalforgeFunctions();
        for (String expected : Set.of("startimport", "powerdrivers", "powerbmc", "inspect", "upload", "images",
                "bootselections", "bootresources", "preseed", "createadmin", "extensions")) {
            assertTrue(expected + " registered: " + functions, functions.contains(expected));
        }
        String help = run("help");
        for (String f : functions) {
            assertTrue("help lists metalforge:" + f + ":\n" + help, help.contains("metalforge:" + f));
            String described = run("help metalforge:" + f);
            // every method and every parameter carries a description: no bare "String" parameter lines
            assertFalse("undescribed parameter in help metalforge:" + f + ":\n" + described,
                    described.lines().anyMatch(l -> l.strip().matches("(String|long|int|String\\[\\])")));
            // each variant's first line is "<function> - <description>"
            assertTrue("help metalforge:" + f + " describes it:\n" + described,
                    described.contains(f + " - ") && described.lines()
                            .filter(l -> !l.isBlank() && !l.startsWith(" ")).allMatch(l -> l.startsWith(f + " - ")));
            if (!NOT_CALLED_BARE.contains(f)) {
                String bare = run("metalforge:" + f);
                assertFalse("metalforge:" + f + " answered a bare call with a coercion error:\n" + bare,
                        bare.contains("Cannot coerce"));
            }
        }
        assertTrue(run("metalforge:inspect").startsWith("Usage: metalforge:inspect <file> <name>"));
        assertTrue(run("metalforge:upload").startsWith("Usage: metalforge:upload <file> <name>"));
        assertTrue(run("metalforge:bootselections").startsWith("Usage: metalforge:bootselections"));
        assertTrue(run("metalforge:bootselections x").startsWith("Not a boot source id: x"));
        String selections = run("metalforge:bootselections 1");
        assertFalse("no raw Java map:\n" + selections, selections.contains("{"));
        assertTrue(run("metalforge:bootresources").startsWith("No boot resources")
                || run("metalforge:bootresources").startsWith("ID"));
    }

    @Test
    public void exitLeavesTheConsoleAndTheAppliancesKeepsRunning() throws Exception {
        for (String line : new String[] { "exit", "exit 0" }) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
                session.put("SCOPE", "gogo:*"); // as the console's profile sets it
                try {
                    session.execute(line);
                    throw new AssertionError(line + " did not end the console");
                } catch (IllegalStateException e) {
                    // what Gogo's console loop ends on, quietly
                    assertEquals("session is closed", e.getMessage());
                }
            }
            assertTrue(out.toString(StandardCharsets.UTF_8),
                    out.toString(StandardCharsets.UTF_8).contains("Metalforge keeps running"));
            assertEquals(Bundle.ACTIVE, context.getBundle(0).getState());
        }
    }
}
