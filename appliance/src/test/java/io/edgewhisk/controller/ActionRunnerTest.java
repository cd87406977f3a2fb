package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static io.edgewhisk.controller.PipelineFixture.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running an action over fakes: a container action through the invoker, a builtin in-process, a sequence. */
class ActionRunnerTest {
  @TempDir Path dir;
  private PipelineFixture f;
  private final List<ActivationRequest> invoked = new CopyOnWriteArrayList<>();
  private volatile boolean engineFails;
  private ActionRunner runner;

  private final Invoker invoker = new ReadyInvoker() {
    @Override
    public Future<Activation> invoke(ActivationRequest r) {
      invoked.add(r);
      if (engineFails) {
        return Future.failedFuture(new IllegalStateException("podman is gone"));
      }
      return Future.succeededFuture(finished(r, new JsonObject().put("ran", r.action().fqn().name())));
    }
  };

  private final Map<String, BuiltinAction> builtins = Map.of("pkg/echo", new BuiltinAction() {
    @Override
    public String name() {
      return "pkg/echo";
    }

    @Override
    public Future<JsonObject> run(Identity who, JsonObject args) {
      return Future.succeededFuture(args.containsKey("fail") ? new JsonObject().put("error", "asked to") : args);
    }
  });

  @BeforeEach
  void open() {
    f = new PipelineFixture(dir);
    runner = new ActionRunner(invoker, builtins::get, f.controllers.resolver(), f.recorder, f.clock, 50);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static Action builtin(String code, boolean publish) {
    return new Action(FullyQualifiedName.of("guest", "b"), SemVer.INITIAL, publish,
        new Exec.Code(BuiltinAction.KIND, code, false, null, null), KeyValues.EMPTY, KeyValues.EMPTY, ActionLimits.DEFAULT, 0);
  }

  private Activation run(Action a, JsonObject args) {
    return await(runner.run(identity("guest"), a, args, ActivationId.random(), null, "tx", System.currentTimeMillis()));
  }

  @Test
  void aBuiltinRunsInProcessAndItsRecordIsNeverPublished() {
    Activation ok = run(builtin("pkg/echo", true), new JsonObject().put("a", 1));
    assertTrue(ok.response().isSuccess());
    assertEquals(new JsonObject().put("a", 1), ok.response().result());
    assertFalse(ok.publish());
    assertTrue(invoked.isEmpty(), "no container for a builtin");

    Activation error = run(builtin("pkg/echo", false), new JsonObject().put("fail", true));
    assertEquals(ActivationResponse.APPLICATION_ERROR, error.response().statusCode());
  }

  @Test
  void aBuiltinNoPluginProvidesIsADeveloperErrorSaying503sMessage() {
    Activation missing = run(builtin("pkg/gone", false), new JsonObject());
    assertEquals(ActivationResponse.DEVELOPER_ERROR, missing.response().statusCode());
    assertTrue(missing.response().result().toString().contains("not available"), missing.response().toString());
  }

  @Test
  void aContainerActionGoesToTheInvokerAndAnEngineFailureIsAWhiskError() {
    Action a = f.action("guest", "hello");
    Activation ok = run(a, new JsonObject());
    assertEquals(1, invoked.size());
    assertEquals(new JsonObject().put("ran", "hello"), ok.response().result());
    engineFails = true;
    Activation failed = run(a, new JsonObject());
    assertEquals(ActivationResponse.WHISK_ERROR, failed.response().statusCode());
    assertFalse(failed.publish());
  }
}
