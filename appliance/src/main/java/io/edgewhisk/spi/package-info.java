/**
 * The plugin SPI: everything a plugin (MQTT triggers, fleet sync, the in-core alarms feed) may use of the
 * appliance. A plugin sees this package, {@code io.edgewhisk.model} and Vert.x, never the core's internals;
 * a test in each plugin module enforces it.
 */
@ModuleGen(name = "edgewhisk-spi", groupPackage = "io.edgewhisk.spi")
package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ModuleGen;
