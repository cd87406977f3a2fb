package io.edgewhisk.mqtt.bridge;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RedeliveriesTest {
  static final io.edgewhisk.mqtt.broker.PublishedMessage A = BridgeTest.msg("t", "a", 1);
  static final io.edgewhisk.mqtt.broker.PublishedMessage B = BridgeTest.msg("t", "b", 1);

  @Test
  void aDupResendOfWhatWasAcknowledgedOnTheOldLinkIsRecognisedOnce() {
    Redeliveries r = new Redeliveries(10);
    r.newLink(false);
    r.acknowledged(A, 7);
    assertFalse(r.isResend(A, 7, true), "not on the same link");
    r.newLink(true);
    assertFalse(r.isResend(B, 7, true), "another message under that id");
    r.acknowledged(A, 7);
    r.newLink(true);
    assertTrue(r.isResend(A, 7, true));
    assertFalse(r.isResend(A, 7, true), "only once");
  }

  @Test
  void withoutDupOrWithoutTheSessionItIsANewMessage() {
    Redeliveries r = new Redeliveries(10);
    r.acknowledged(A, 7);
    r.newLink(true);
    assertFalse(r.isResend(A, 7, false), "the same content sent anew (no DUP) is a new message");
    r.acknowledged(A, 8);
    r.newLink(false);
    assertFalse(r.isResend(A, 8, true), "the remote broker lost the session: nothing can be a resend");
  }

  @Test
  void onlyTheLastAcknowledgementsAreKept() {
    Redeliveries r = new Redeliveries(2);
    r.acknowledged(A, 1);
    r.acknowledged(A, 2);
    r.acknowledged(A, 3);
    r.newLink(true);
    assertFalse(r.isResend(A, 1, true));
    assertTrue(r.isResend(A, 3, true));
  }

  @Test
  void aMessageTakenAfterItsLinkWentIsKnownOnTheNextLink() {
    Redeliveries r = new Redeliveries(10);
    r.newLink(true);
    r.taken(A, 9, false); // durable here only after the link was gone: never acknowledged
    assertTrue(r.isResend(A, 9, true));
  }

  @Test
  void aResendOfAMessageStillBeingTakenGetsThatOnesOutcome() {
    Redeliveries r = new Redeliveries(10);
    io.vertx.core.Promise<Void> durable = io.vertx.core.Promise.promise();
    r.taking(A, 4, durable.future());
    assertNull(r.beingTaken(A, 4, false), "without DUP it is a new message");
    assertNull(r.beingTaken(B, 4, true), "another message under that id");
    assertSame(durable.future(), r.beingTaken(A, 4, true));
    durable.complete();
    assertNull(r.beingTaken(A, 4, true), "taken: from now on the acknowledgements answer");
  }
}
