/**
 * MAAS's webhook power driver ({@code metalforge.power.driver=webhook}): HTTP POST to power on and off, GET to
 * query, the state matched by regular expressions.
 */
package io.metalforge.power.webhook.internal;
