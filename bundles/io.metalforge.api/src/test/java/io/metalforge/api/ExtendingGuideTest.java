package io.metalforge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/EXTENDING.md's table of extension families says what the API is: every SPI it names exists with the package
 * version it gives (the {@code @Version} of the package's package-info, which bnd exports), its service property is
 * the SPI's property constant, and every method it says the platform asks is a method of the SPI or of an optional
 * capability it names in the same row.
 */
class ExtendingGuideTest {

    private static final Path GUIDE = Path.of("../../docs/EXTENDING.md");
    private static final Pattern SPI = Pattern.compile("`(io\\.metalforge\\.api(?:\\.[a-z]+)+)\\.([A-Z]\\w+)` "
            + "\\((\\d+\\.\\d+\\.\\d+)");
    private static final Pattern PACKAGE = Pattern.compile("`(io\\.metalforge\\.api(?:\\.[a-z]+)+)` (\\d+\\.\\d+\\.\\d+)");
    private static final Pattern PROPERTY = Pattern.compile("`(metalforge\\.[a-z.]+)`");
    private static final Pattern NAME = Pattern.compile("`([a-z][A-Za-z]+)(?:\\(|`)");
    private static final Pattern TYPE = Pattern.compile("`([A-Z][A-Za-z]+)`");
    private static final Pattern VERSION = Pattern.compile("@Version\\(\"([^\"]+)\"\\)");

    @Test
    void theFamilyTableIsTheApiAsItIs() throws Exception {
        List<String> rows = Files.readAllLines(GUIDE).stream().filter(l -> SPI.matcher(l).find()).toList();
        assertEquals(5, rows.size(), "one row per family: source, OS, store, driver, boot method");
        for (String row : rows) {
            String[] cells = row.split("\\|");
            Matcher spi = SPI.matcher(cells[2]);
            assertTrue(spi.find(), row);
            String pkg = spi.group(1);
            Class<?> type = Class.forName(pkg + "." + spi.group(2));
            assertEquals(spi.group(3), version(pkg), pkg + " in: " + row);
            for (Matcher more = PACKAGE.matcher(cells[2]); more.find();) {
                assertEquals(more.group(2), version(more.group(1)), more.group(1) + " in: " + row);
            }

            Matcher property = PROPERTY.matcher(cells[3]);
            assertTrue(property.find(), row);
            assertTrue(propertyConstants(type).contains(property.group(1)),
                    type.getSimpleName() + " has no constant " + property.group(1) + ": " + propertyConstants(type));

            List<Class<?>> asked = new ArrayList<>(List.of(type));
            for (Matcher capability = TYPE.matcher(cells[5]); capability.find();) {
                asked.add(Class.forName(pkg + "." + capability.group(1)));
            }
            for (Matcher name = NAME.matcher(cells[5]); name.find();) {
                String method = name.group(1);
                assertTrue(asked.stream().flatMap(c -> Arrays.stream(c.getMethods())).map(Method::getName)
                        .anyMatch(method::equals), type.getSimpleName() + " has no method " + method + ": " + row);
            }
        }
    }

    private static String version(String pkg) throws IOException {
        Path info = Path.of("src/main/java", pkg.replace('.', '/'), "package-info.java");
        Matcher m = VERSION.matcher(Files.readString(info));
        assertTrue(m.find(), info + " has no @Version");
        return m.group(1);
    }

    private static List<Object> propertyConstants(Class<?> type) throws IllegalAccessException {
        List<Object> values = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("PROPERTY")) {
                values.add(f.get(null));
            }
        }
        return values;
    }
}
