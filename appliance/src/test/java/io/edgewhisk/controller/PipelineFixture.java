package io.edgewhisk.controller;

import io.edgewhisk.api.FakeKinds;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.fakes.InMemoryActivationStore;
import io.edgewhisk.fakes.InMemoryEntityStore;
import io.edgewhisk.log.InMemoryAppendLog;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.Rule;
import io.edgewhisk.model.RuleStatus;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.store.EntityChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The controller's activation pipeline over fakes: in-memory entities, log and activation store, no Podman. */
final class PipelineFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Clock clock = Clock.systemUTC();
  final ApplianceConfig config;
  final InMemoryEntityStore entities = new InMemoryEntityStore();
  final InMemoryActivationStore activations = new InMemoryActivationStore();
  final InMemoryAppendLog log;
  final ActivationCompletions completions = new ActivationCompletions();
  final ActivationRecorder recorder;
  final Controllers controllers;
  final AtomicBoolean engineUp = new AtomicBoolean(true);
  final Invocations invocations;

  PipelineFixture(Path dir) {
    config = ConfigLoader.applianceConfig(null, dir);
    log = new InMemoryAppendLog(vertx, LogConfig.defaults(dir.resolve("log")), clock);
    recorder = new ActivationRecorder(activations, log, completions);
    controllers = Controllers.wire(config, entities, new FakeKinds(), clock);
    invocations = new Invocations(vertx, entities, controllers.resolver(), new Throttles(clock), log, completions,
        recorder, 1024, engineUp::get, clock);
  }

  static Identity identity(String namespace) {
    return new Identity(namespace, namespace, namespace + "-uuid", "k", new NamespaceLimits(1000, 1000, 1000, null, true));
  }

  Action action(String namespace, String name) {
    Action a = new Action(FullyQualifiedName.of(namespace, name), SemVer.INITIAL, false,
        new Exec.Code("nodejs:18", "function main(){}", false, null, null), KeyValues.EMPTY, KeyValues.EMPTY,
        ActionLimits.DEFAULT, clock.millis());
    await(entities.apply(List.of(new EntityChange.Create(a))));
    return a;
  }

  /** A trigger with one rule to {@code action}, active or not. */
  Trigger trigger(String namespace, String name, FullyQualifiedName action, boolean active) {
    FullyQualifiedName rule = FullyQualifiedName.of(namespace, name + "-rule");
    FullyQualifiedName fqn = FullyQualifiedName.of(namespace, name);
    Trigger t = new Trigger(fqn, SemVer.INITIAL, false, KeyValues.EMPTY, KeyValues.EMPTY,
        Map.of(rule, new Trigger.TriggerRule(action, active ? RuleStatus.ACTIVE : RuleStatus.INACTIVE)), clock.millis());
    Rule r = new Rule(rule, SemVer.INITIAL, false, fqn, action, active ? RuleStatus.ACTIVE : RuleStatus.INACTIVE,
        KeyValues.EMPTY, clock.millis());
    await(entities.apply(List.of(new EntityChange.Create(t), new EntityChange.Create(r))));
    return t;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    await(log.close());
    await(vertx.close());
  }
}
