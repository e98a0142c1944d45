/**
 * What the platform's Gogo commands share: how a command says how it is called and answers a wrong call
 * ({@link CommandUsage}), and how it shows an API refusal ({@link Refusals}). A vendor bundle's commands use them to
 * read like the platform's own.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
