/**
 * The platform's relational store: an embedded database by default, PostgreSQL for installations with several
 * regions; one schema for both, migrated by the bundles that own its tables.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.db;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
