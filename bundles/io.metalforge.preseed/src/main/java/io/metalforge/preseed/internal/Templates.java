package io.metalforge.preseed.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

/**
 * Curtin user-data templates (FreeMarker): the operator's folder first, then the ones shipped in this bundle, name by
 * name. Templates see plain maps, lists and strings only; object creation and the Java API are switched off because
 * template files are operator input.
 */
final class Templates {

    static final String SHIPPED = "/io/metalforge/preseed/internal/templates";

    /** Operator edits take effect within this time. */
    static final long RECHECK_MILLIS = 1000;

    private final Path operatorDir;
    private final long recheckMillis;
    /** Made on the first render: a start composes nothing, and FreeMarker's 177 classes were a start's cost. */
    private volatile Configuration config;

    /** @param operatorDir folder of operator templates, or null for the shipped ones only */
    Templates(Path operatorDir) {
        this(operatorDir, RECHECK_MILLIS);
    }

    Templates(Path operatorDir, long recheckMillis) {
        if (operatorDir != null) {
            try {
                // made at start, so that templates an operator adds later are found without a restart
                Files.createDirectories(operatorDir);
            } catch (IOException e) {
                throw new IllegalStateException("template folder " + operatorDir + ": " + e.getMessage(), e);
            }
        }
        this.operatorDir = operatorDir;
        this.recheckMillis = recheckMillis;
    }

    private Configuration config() {
        Configuration c = config;
        if (c == null) {
            synchronized (this) {
                c = config;
                if (c == null) {
                    c = configure(operatorDir, recheckMillis);
                    config = c;
                }
            }
        }
        return c;
    }

    private static Configuration configure(Path operatorDir, long recheckMillis) {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (operatorDir != null) {
            try {
                loaders.add(new FileTemplateLoader(operatorDir.toFile()));
            } catch (IOException e) {
                throw new IllegalStateException("template folder " + operatorDir + ": " + e.getMessage(), e);
            }
        }
        // the bundle's own class loader finds its resources in OSGi as on the plain class path
        loaders.add(new ClassTemplateLoader(Templates.class, SHIPPED));
        config.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        config.setLocalizedLookup(false);
        config.setDefaultEncoding("UTF-8");
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        config.setAPIBuiltinEnabled(false);
        config.setTemplateUpdateDelayMilliseconds(recheckMillis);
        return config;
    }

    /** Renders the first template that exists among {@code names}. */
    Rendered render(List<String> names, Map<String, Object> model) {
        for (String name : names) {
            Template t;
            try {
                t = config().getTemplate(name, null, null, true, true);
            } catch (IOException e) {
                throw new IllegalArgumentException("template " + name + ": " + e.getMessage(), e);
            }
            if (t == null) {
                continue;
            }
            StringWriter out = new StringWriter(2048);
            try {
                t.process(model, out);
            } catch (TemplateException | IOException e) {
                throw new IllegalArgumentException("template " + name + ": " + firstLine(e.getMessage()), e);
            }
            return new Rendered(name, out.toString());
        }
        throw new IllegalArgumentException("no template found among " + names);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A rendered template and which file it came from. */
    record Rendered(String name, String text) {
    }
}
