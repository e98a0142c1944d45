/**
 * MAAS's manual power driver ({@code metalforge.power.driver=manual}): the operator powers the machine; nothing is
 * queried.
 */
package io.metalforge.power.manual.internal;
