package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The README's configuration table is the configuration the running distribution reads: every PID a Metalforge
 * bundle designates has a row, and the row lists exactly the keys that component reads. The keys come from the
 * bundles' metatype documents, whose attribute ids Declarative Services also uses to map a configuration's keys onto
 * the component's configuration type, so a documented key that nothing reads (or a read key the README omits) fails
 * here.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DocumentedConfigurationIT {

    private static final Pattern DESIGNATE = Pattern.compile("<Designate[^>]*\\bpid=\"([^\"]+)\"[^>]*>\\s*"
            + "<Object[^>]*\\bocdref=\"([^\"]+)\"");
    private static final Pattern OCD = Pattern.compile("<OCD[^>]*\\bid=\"([^\"]+)\"(.*?)</OCD>", Pattern.DOTALL);
    private static final Pattern AD = Pattern.compile("<AD[^>]*\\bid=\"([^\"]+)\"");
    private static final Pattern ROW = Pattern.compile("^\\| `(io\\.metalforge[^`]*)` \\| (.*?) \\|[^|]*\\|\\s*$");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    @Test
    public void theReadmeListsEveryPidWithTheKeysItsComponentReads() throws Exception {
        Map<String, Set<String>> read = readByTheDistribution();
        assertFalse("no Metalforge bundle designates a configuration", read.isEmpty());
        Map<String, Set<String>> documented = documentedInTheReadme();
        assertEquals("PIDs: README table vs. the running distribution", read.keySet(), documented.keySet());
        for (Map.Entry<String, Set<String>> pid : read.entrySet()) {
            assertEquals("keys of " + pid.getKey() + ": README table vs. what the component reads", pid.getValue(),
                    documented.get(pid.getKey()));
        }
    }

    @Test
    public void everyComponentReadsADocumentedPidOrSaysItReadsNone() throws Exception {
        // a component that reads no configuration says so (configuration-policy ignore): Declarative Services then
        // does not look it up in Configuration Admin at start; one that reads some names a PID the README documents
        Set<String> designated = readByTheDistribution().keySet();
        List<String> wrong = new ArrayList<>();
        int components = 0;
        for (ComponentDescriptionDTO c : scr.getComponentDescriptionDTOs()) {
            if (!c.bundle.symbolicName.startsWith("io.metalforge.")) {
                continue;
            }
            components++;
            boolean ignores = "ignore".equals(c.configurationPolicy);
            if (!ignores && !designated.containsAll(Arrays.asList(c.configurationPid))) {
                wrong.add(c.name + " (reads " + Arrays.toString(c.configurationPid) + ")");
            }
        }
        assertTrue("too few Metalforge components seen: " + components, components > 50);
        assertEquals("components that read an undocumented PID instead of configuration-policy ignore", List.of(),
                wrong);
    }

    /** PID to attribute ids, from the metatype documents of the installed Metalforge bundles. */
    private Map<String, Set<String>> readByTheDistribution() throws IOException {
        Map<String, Set<String>> byPid = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (!bundle.getSymbolicName().startsWith("io.metalforge.")) {
                continue;
            }
            Enumeration<URL> documents = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
            if (documents == null) {
                continue;
            }
            Map<String, String> ocdOfPid = new TreeMap<>();
            Map<String, Set<String>> idsOfOcd = new TreeMap<>();
            while (documents.hasMoreElements()) {
                String xml;
                try (InputStream in = documents.nextElement().openStream()) {
                    xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Matcher d = DESIGNATE.matcher(xml);
                while (d.find()) {
                    ocdOfPid.put(d.group(1), d.group(2));
                }
                Matcher o = OCD.matcher(xml);
                while (o.find()) {
                    Set<String> ids = new TreeSet<>();
                    Matcher a = AD.matcher(o.group(2));
                    while (a.find()) {
                        ids.add(a.group(1));
                    }
                    idsOfOcd.put(o.group(1), ids);
                }
            }
            ocdOfPid.forEach((pid, ocd) -> byPid.put(pid, idsOfOcd.getOrDefault(ocd, Set.of())));
        }
        return byPid;
    }

    /** PID to keys, from the README's table (defaults in parentheses are not keys). */
    private static Map<String, Set<String>> documentedInTheReadme() throws IOException {
        Map<String, Set<String>> byPid = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(System.getProperty("metalforge.readme")))) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            String keys = row.group(2).replaceAll("\\([^)]*\\)", "");
            Set<String> names = new TreeSet<>();
            Matcher k = BACKTICKED.matcher(keys);
            while (k.find()) {
                names.add(k.group(1));
            }
            byPid.put(row.group(1), names);
        }
        return byPid;
    }
}
