package io.edgewhisk.mqtt.broker;

/** Why a message was not delivered (to a session; LOOP: to anyone, it came back around a bridge loop): each is a counter in metrics and $SYS. */
public enum DropReason { QUEUE_FULL, QUEUE_MEMORY, EXPIRED, TOO_LARGE, QOS0_OFFLINE, LOOP }
