package io.edgewhisk.sync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityMappingTest {

  @Test
  void memAttachmentCarriesTheCodeInItsName() {
    MappedEntity m = EntityMapping.map(CentralDocs.nodeAction("guest", "hello", "function main(){return {a:1}}", "lab"));
    assertEquals(EntityKind.ACTION, m.kind());
    assertEquals("/guest/hello", m.name());
    assertInstanceOf(CodeSource.None.class, m.code(), "nothing left to fetch");
    JsonObject exec = m.body().getJsonObject("exec");
    assertEquals("nodejs:18", exec.getString("kind"));
    assertEquals("function main(){return {a:1}}", exec.getString("code"));
    assertFalse(exec.getBoolean("binary"));
    assertEquals(256, m.body().getJsonObject("limits").getInteger("memory"));
    assertEquals("hi", m.body().getJsonArray("parameters").getJsonObject(0).getString("value"));
  }

  @Test
  void inlineStringCodeOfOldDocuments() {
    JsonObject doc = CentralDocs.nodeAction("guest", "old", "x");
    doc.getJsonObject("exec").put("code", "function main(){}");
    assertEquals("function main(){}", EntityMapping.map(doc).body().getJsonObject("exec").getString("code"));
  }

  @Test
  void couchAttachmentIsFetchedLaterAndAZipTravelsAsBase64() {
    MappedEntity m = EntityMapping.map(CentralDocs.couchAction("guest", "zipped", "6f1c-uuid", true, "python:3.11"));
    CodeSource.Attachment a = assertInstanceOf(CodeSource.Attachment.class, m.code());
    assertEquals("6f1c-uuid", a.name());
    byte[] zip = {'P', 'K', 3, 4, (byte) 0x80, 0};
    JsonObject exec = m.withCode(zip).getJsonObject("exec");
    assertTrue(exec.getBoolean("binary"));
    assertEquals(Base64.getEncoder().encodeToString(zip), exec.getString("code"));
    assertEquals("main", exec.getString("main"));

    MappedEntity text = EntityMapping.map(CentralDocs.couchAction("guest", "big", "u2", false, "nodejs:18"));
    assertEquals("ü", text.withCode("ü".getBytes(StandardCharsets.UTF_8)).getJsonObject("exec").getString("code"));
  }

  @Test
  void legacyAttachmentNamesAreAttachmentsToo() {
    JsonObject doc = CentralDocs.couchAction("guest", "legacy", "x", false, "nodejs:18");
    doc.getJsonObject("exec").getJsonObject("code").put("attachmentName", "codefile");
    assertEquals(new CodeSource.Attachment("codefile"), EntityMapping.map(doc).code());
  }

  @Test
  void externalStoresAreUnsupportedNotACrash() {
    for (String scheme : new String[] {"s3", "az"}) {
      JsonObject doc = CentralDocs.couchAction("guest", "far", "x", false, "nodejs:18");
      doc.getJsonObject("exec").getJsonObject("code").put("attachmentName", scheme + ":bucket/key");
      UnsupportedEntityException e = assertThrows(UnsupportedEntityException.class, () -> EntityMapping.map(doc));
      assertTrue(e.getMessage().contains(scheme + ":"), e.getMessage());
    }
  }

  @Test
  void encryptedParametersAreUnsupported() {
    JsonObject doc = CentralDocs.nodeAction("guest", "secret", "x");
    doc.getJsonArray("parameters").add(new JsonObject().put("key", "pw").put("value", "AAAx").put("encryption", "aes-256"));
    UnsupportedEntityException e = assertThrows(UnsupportedEntityException.class, () -> EntityMapping.map(doc));
    assertTrue(e.getMessage().contains("'pw'"));
  }

  @Test
  void blackboxKeepsItsImage() {
    MappedEntity m = EntityMapping.map(CentralDocs.blackbox("guest", "bb", "openwhisk/dockerskeleton"));
    JsonObject exec = m.body().getJsonObject("exec");
    assertEquals("blackbox", exec.getString("kind"));
    assertEquals("openwhisk/dockerskeleton", exec.getString("image"));
    assertFalse(exec.containsKey("code"));
  }

  @Test
  void sequenceKeepsItsComponents() {
    MappedEntity m = EntityMapping.map(CentralDocs.sequence("guest", "seq", "/guest/a", "/whisk.system/utils/echo"));
    assertEquals(EntityKind.SEQUENCE, m.kind());
    assertEquals(new JsonArray().add("/guest/a").add("/whisk.system/utils/echo"),
        m.body().getJsonObject("exec").getJsonArray("components"));
  }

  @Test
  void packagesAndBindings() {
    MappedEntity p = EntityMapping.map(CentralDocs.pkg("guest", "utils"));
    assertEquals(EntityKind.PACKAGE, p.kind());
    assertFalse(p.body().containsKey("binding"));
    assertTrue(p.body().getBoolean("publish"));
    MappedEntity b = EntityMapping.map(CentralDocs.binding("guest", "myutils", "whisk.system", "utils"));
    assertEquals(EntityKind.BINDING, b.kind());
    assertEquals(new JsonObject().put("namespace", "whisk.system").put("name", "utils"), b.body().getJsonObject("binding"));
    MappedEntity inPkg = EntityMapping.map(CentralDocs.nodeAction("guest/utils", "date", "x"));
    assertEquals("/guest/utils/date", inPkg.name());
  }

  @Test
  void triggerAndRuleWithItsStatus() {
    MappedEntity t = EntityMapping.map(CentralDocs.trigger("guest", "t",
        new JsonObject().put("guest/r1", CentralDocs.ruleEntry("guest", "a", "active"))));
    assertEquals(EntityKind.TRIGGER, t.kind());
    assertFalse(t.body().containsKey("rules"), "rules are made by the rules, not by the trigger's body");
    MappedEntity r = EntityMapping.map(CentralDocs.rule("guest", "r1", "t", "a"));
    assertEquals(EntityKind.RULE, r.kind());
    assertEquals("/guest/t", r.body().getString("trigger"));
    assertEquals("/guest/a", r.body().getString("action"));
    assertEquals("guest/t", r.triggerId());
    assertEquals("inactive", r.withStatus("inactive").getString("status"));
  }

  @Test
  void malformedDocumentsAreNamedNotApplied() {
    assertThrows(MalformedDocumentException.class, () -> EntityMapping.map(new JsonObject().put("_id", "guest/x")));
    JsonObject noExec = CentralDocs.nodeAction("guest", "a", "x");
    noExec.remove("exec");
    assertThrows(MalformedDocumentException.class, () -> EntityMapping.map(noExec));
    JsonObject wrongName = CentralDocs.nodeAction("guest", "a", "x").put("name", "b");
    assertThrows(MalformedDocumentException.class, () -> EntityMapping.map(wrongName));
    JsonObject badParams = CentralDocs.nodeAction("guest", "a", "x").put("parameters", "nope");
    assertThrows(MalformedDocumentException.class, () -> EntityMapping.map(badParams));
    JsonObject badRef = CentralDocs.nodeAction("guest", "a", "x");
    badRef.getJsonObject("exec").put("code", new JsonObject().put("attachmentName", "mem:***"));
    assertThrows(MalformedDocumentException.class, () -> EntityMapping.map(badRef));
  }

  @Test
  void onlyTheFourEntityTypesAreEntities() {
    assertTrue(EntityMapping.isEntity(CentralDocs.pkg("guest", "p")));
    assertFalse(EntityMapping.isEntity(new JsonObject().put("_id", "_design/whisks")));
    assertFalse(EntityMapping.isEntity(new JsonObject().put("entityType", "activation")));
  }

  @Test
  void fleetFilterByLabelNamespaceAndUnlabelled() {
    FleetFilter f = new FleetFilter(Set.of("guest"), Set.of("berlin", "pumps"), false);
    assertTrue(f.matches(CentralDocs.nodeAction("guest", "a", "x", "pumps")));
    assertTrue(f.matches(CentralDocs.nodeAction("guest", "a", "x", "*")));
    assertFalse(f.matches(CentralDocs.nodeAction("guest", "a", "x", "paris")));
    assertFalse(f.matches(CentralDocs.nodeAction("guest", "a", "x")), "unlabelled stays central");
    assertTrue(new FleetFilter(Set.of(), Set.of(), true).matches(CentralDocs.nodeAction("guest", "a", "x")));
    JsonObject single = CentralDocs.nodeAction("guest", "a", "x");
    single.getJsonArray("annotations").add(new JsonObject().put("key", "edge-fleet").put("value", "berlin"));
    assertTrue(f.matches(single));
    assertTrue(f.servesId("guest/pkg/a"));
    assertFalse(f.servesId("other/a"));
    assertFalse(f.servesId("_design/x"));
    assertTrue(new FleetFilter(Set.of(), Set.of(), false).servesId("any/a"), "no namespaces configured: all");
  }
}
