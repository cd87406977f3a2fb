package io.edgewhisk.controller;

/** What a request wants to do with a resource: GET reads, PUT and DELETE write, POST activates. */
public enum Right {
  READ,
  WRITE,
  ACTIVATE
}
