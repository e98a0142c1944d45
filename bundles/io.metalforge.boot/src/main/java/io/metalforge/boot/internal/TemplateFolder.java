package io.metalforge.boot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootTemplates;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * Boot config templates: the operator's {@code <data>/templates/boot/<method>/<name>} first, then the one shipped in
 * the method's bundle. Read on every render (they are small and few requests need them), so an edit applies to the
 * next boot without a restart.
 */
@Component(service = BootTemplates.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class TemplateFolder implements BootTemplates {

    /** Folder under the data directory where operators put their boot templates. */
    static final String FOLDER = "templates/boot";
    static final int MAX_TEMPLATE_BYTES = 256 * 1024;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern KEY = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final Path operatorRoot;

    @Activate
    public TemplateFolder(@Reference PlatformDirectories directories) {
        this(directories.data().resolve(FOLDER));
    }

    TemplateFolder(Path operatorRoot) {
        this.operatorRoot = operatorRoot;
    }

    Path operatorRoot() {
        return operatorRoot;
    }

    @Override
    public String render(BootMethod method, List<String> names, Map<String, String> values) {
        String methodName = method.name();
        if (!SAFE_NAME.matcher(methodName).matches()) {
            throw new IllegalArgumentException("boot method name not usable as a folder: " + methodName);
        }
        for (String name : names) {
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("template name not usable as a file name: " + name);
            }
            String text = read(method, methodName, name);
            if (text != null) {
                return substitute(methodName + "/" + name, text, values);
            }
        }
        throw new IllegalArgumentException("no boot template " + methodName + "/" + String.join(" or ", names));
    }

    private String read(BootMethod method, String methodName, String name) {
        Path file = operatorRoot.resolve(methodName).resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return text(Files.newInputStream(file), file.toString());
            }
            InputStream shipped = method.getClass().getClassLoader()
                    .getResourceAsStream(FOLDER + "/" + methodName + "/" + name);
            return shipped == null ? null : text(shipped, name);
        } catch (IOException e) {
            throw new IllegalArgumentException("boot template " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(InputStream in, String what) throws IOException {
        try (in) {
            byte[] data = in.readNBytes(MAX_TEMPLATE_BYTES + 1);
            if (data.length > MAX_TEMPLATE_BYTES) {
                throw new IOException(what + " is larger than " + MAX_TEMPLATE_BYTES + " bytes");
            }
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    static String substitute(String template, String text, Map<String, String> values) {
        Matcher m = KEY.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 512);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("boot template " + template + " uses {{" + m.group(1)
                        + "}}, which is not one of " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
