package io.metalforge.preseed.internal;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import io.metalforge.api.deploy.YamlScalars;

/**
 * Jackson's quoting hook over {@link YamlScalars#mayBePlain}: a string is double-quoted unless that rule lets it stay
 * plain; Jackson's own rules still quote plain-looking text that YAML syntax would misread ({@code a: b}, {@code a #b}).
 */
final class StringsStayStrings extends StringQuotingChecker {

    private static final long serialVersionUID = 1L;

    private static final StringQuotingChecker SYNTAX = StringQuotingChecker.Default.instance();

    @Override
    public boolean needToQuoteName(String name) {
        return !YamlScalars.mayBePlain(name) || SYNTAX.needToQuoteName(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return !YamlScalars.mayBePlain(value) || SYNTAX.needToQuoteValue(value);
    }
}
