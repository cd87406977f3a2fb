/**
 * The plugin SPI: everything a plugin (MQTT triggers, fleet sync, and the in-core alarms feed) may use of the
 * appliance. A plugin sees this package, {@code io.edgewhisk.model} and libraries (Vert.x, Typesafe Config,
 * SLF4J), never the core's internals; an ArchUnit test in each plugin module fails the build otherwise.
 *
 * <h2>Shape</h2>
 * A plugin is a {@link io.edgewhisk.spi.Plugin} named in its jar's
 * {@code META-INF/services/io.edgewhisk.spi.Plugin}. Its declarative parts are read before anything starts:
 * {@link io.edgewhisk.spi.Plugin#validate its configuration section} {@code edgewhisk.<name>} (a bad value stops
 * start-up with a message naming the key), its {@link io.edgewhisk.spi.PluginMigration migrations}, its
 * {@link io.edgewhisk.spi.CatalogPackage catalog packages} and its {@link io.edgewhisk.spi.AdminCommand admin
 * commands}. Then {@link io.edgewhisk.spi.Plugin#create} gives the verticle the appliance deploys with a
 * {@link io.edgewhisk.spi.PluginContext}: after the catalog is installed and before the API takes requests;
 * it is undeployed first at shutdown, while everything it uses still runs. Everything is
 * {@link io.vertx.core.Future}-returning and never blocks an event loop.
 *
 * <h2>What a plugin may do</h2>
 * <ul>
 * <li><b>Fire triggers</b> as their owner ({@link io.edgewhisk.spi.TriggerService}, a service proxy at
 *   {@code edgewhisk.triggers}): the REST fire's path (entitlement, {@code firesPerMinute}, the trigger
 *   activation, one invocation per active rule). The {@link io.edgewhisk.spi.FireOutcome} comes once the work is
 *   durably accepted: fired with the activation id, no active rule, or refused with OpenWhisk's status and
 *   message. It never fails for a refusal.</li>
 * <li><b>Invoke actions</b> under an activation id the caller chose ({@link io.edgewhisk.spi.InvocationService},
 *   {@code edgewhisk.invocations}): the REST invoke's path (entitlement, throttles, the {@code invoke} topic, the
 *   pool) as the namespace's owner; it completes with the stored record. An id in use is refused (409), never
 *   overwritten. Fleet sync runs a central controller's {@code ActivationMessage}s with it.</li>
 * <li><b>Contribute to {@code /whisk.system}</b>: packages and in-process actions, and feeds. The core speaks
 *   OpenWhisk's feed protocol once ({@code lifecycleEvent}, {@code triggerName}, {@code authKey} checked against
 *   the trigger's owner, {@code {"error": …}} answers) and sends each checked {@link io.edgewhisk.spi.FeedEvent}
 *   to the plugin's {@link io.edgewhisk.spi.FeedProvider} at {@code edgewhisk.feeds.<package>/<action>}; see
 *   {@link io.edgewhisk.spi.CatalogRegistry}.</li>
 * <li><b>Identities</b> ({@link io.edgewhisk.spi.IdentityService}, {@code edgewhisk.identities}): look a subject up
 *   by key or namespace, create, update, block and delete namespaces with their keys and limits; the API's
 *   credential cache follows at once.</li>
 * <li><b>Entities</b> ({@link io.edgewhisk.spi.EntityService}, {@code edgewhisk.entities}): read them; apply the
 *   fleet's changes (origin {@code fleet}, validated exactly as a REST {@code PUT}; afterwards a REST write of
 *   such an entity answers 409); delete as the owner; every change is published at
 *   {@code edgewhisk.entities.changed}.</li>
 * <li><b>Log topics</b> ({@link io.edgewhisk.spi.LogTopics}): topics of its own on the embedded log (durable
 *   appends, subscriptions with committed offsets, the same retention and disk cap), and a durable subscription
 *   to the core's {@code activations} topic, whose record format {@link io.edgewhisk.spi.LogTopics} documents.</li>
 * <li><b>A database of its own</b> ({@link io.edgewhisk.spi.PluginDatabase}): tables named {@code <name>_…} made
 *   by its migrations on their own version track, written through the core's single SQLite writer, read on the
 *   read pool.</li>
 * <li><b>Telemetry</b> ({@link io.edgewhisk.spi.Telemetry}): counters, gauges and histograms under
 *   {@code edgewhisk_<name>_} in {@code /metrics}, and {@link io.edgewhisk.spi.HealthComponent health components}
 *   (ok, degraded or down with a reason) that the health endpoint lists.</li>
 * <li><b>Admin commands</b> ({@link io.edgewhisk.spi.AdminCommand}): {@code edgewhisk <word> …}, run on the state
 *   directory in a process of their own, also while the server runs.</li>
 * </ul>
 *
 * <h2>The event bus</h2>
 * The core's services are Vert.x service proxies (generated from the {@code @ProxyGen} interfaces here): a
 * plugin holds the typed clients its context gives it, and a failure arrives as a
 * {@link io.vertx.serviceproxy.ServiceException} whose {@code failureCode} is the HTTP status. Inside the core the
 * hot path stays direct calls; what must not be lost travels on the embedded log, never only on the bus.
 */
@ModuleGen(name = "edgewhisk-spi", groupPackage = "io.edgewhisk.spi")
package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ModuleGen;
