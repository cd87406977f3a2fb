package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static io.edgewhisk.controller.PipelineFixture.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgewhisk.fakes.InMemoryEntityStore;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenWhisk's entitlement: the owner may do anything; others may read and activate only through a published package. */
class EntitlementTest {
  private final InMemoryEntityStore entities = new InMemoryEntityStore();
  private final Entitlement entitlement = new Entitlement(entities);

  private void pkg(String name, boolean publish) {
    await(entities.apply(List.of(new EntityChange.Create(new WhiskPackage(FullyQualifiedName.of("guest", name),
        SemVer.INITIAL, publish, null, KeyValues.EMPTY, KeyValues.EMPTY, 0)))));
  }

  private int refused(Right right, String fqn, boolean isPackage) {
    return assertThrows(WhiskException.class,
        () -> await(entitlement.check(identity("other"), right, FullyQualifiedName.parse(fqn, null), isPackage))).status();
  }

  @Test
  void theOwnerMayDoAnything() {
    for (Right r : Right.values()) {
      await(entitlement.check(identity("guest"), r, FullyQualifiedName.parse("/guest/p/a", null), false));
    }
  }

  @Test
  void othersReadAndActivateOnlyThroughAPublishedPackage() {
    pkg("shared", true);
    pkg("private", false);
    await(entitlement.check(identity("other"), Right.READ, FullyQualifiedName.parse("/guest/shared", null), true));
    await(entitlement.check(identity("other"), Right.ACTIVATE, FullyQualifiedName.parse("/guest/shared/a", null), false));
    assertEquals(403, refused(Right.WRITE, "/guest/shared/a", false));
    assertEquals(403, refused(Right.ACTIVATE, "/guest/shared", true));
    assertEquals(403, refused(Right.READ, "/guest/private/a", false));
    assertEquals(403, refused(Right.ACTIVATE, "/guest/a", false));
    assertEquals(403, refused(Right.READ, "/guest/missing/a", false));
  }

  @Test
  void requireOwnerRefusesWith403NamingTheResource() {
    WhiskException e = assertThrows(WhiskException.class, () -> Entitlement.requireOwner(identity("x"), "guest", "guest/t"));
    assertEquals(403, e.status());
  }
}
