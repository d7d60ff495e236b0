/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.
///
/// Tests check every route's answers against it (`OpenAPIConformanceTests`).
enum OpenAPIDocument {
    static let json = #"""
        {
          "components": {
            "parameters": {
              "After": {
                "description": "Only events with a higher id.",
                "in": "query",
                "name": "after",
                "schema": {
                  "minimum": 0,
                  "type": "integer"
                }
              },
              "LastEventID": {
                "description": "Where a live stream resumes (sent by the browser on reconnect).",
                "in": "header",
                "name": "Last-Event-ID",
                "schema": {
                  "minimum": 0,
                  "type": "integer"
                }
              },
              "Limit": {
                "in": "query",
                "name": "limit",
                "schema": {
                  "maximum": 1000,
                  "minimum": 1,
                  "type": "integer"
                }
              },
              "SessionID": {
                "description": "The session's id.",
                "in": "path",
                "name": "id",
                "required": true,
                "schema": {
                  "minimum": 1,
                  "type": "integer"
                }
              }
            },
            "responses": {
              "BadHost": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "Not a loopback host name, on a server without a token."
              },
              "BadRequest": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "The request is malformed, or refused: one line says why."
              },
              "Conflict": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "The session cannot take this now (it has ended, or another session works on its branch)."
              },
              "Events": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/EventPage"
                    }
                  },
                  "text/event-stream": {
                    "schema": {
                      "description": "Server-Sent Events: each event is `id: N` and `data: ` an Event as JSON; resume with Last-Event-ID.",
                      "type": "string"
                    }
                  }
                },
                "description": "A page of events as JSON, or with Accept: text/event-stream a live stream."
              },
              "Forbidden": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "Refused: the request came from another site (CSRF), or the user may not do this."
              },
              "ForgeUnavailable": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "GitHub could not answer."
              },
              "NotFound": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "No such session, organisation or route."
              },
              "TooLarge": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "The body is larger than 1 MiB."
              },
              "Unauthorized": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "The token is missing or wrong."
              }
            },
            "schemas": {
              "ActorRequest": {
                "additionalProperties": false,
                "properties": {
                  "as": {
                    "description": "Who acts (default: AGENTSCHED_USER, then user: in agentsched.yaml).",
                    "type": "string"
                  }
                },
                "type": "object"
              },
              "Agents": {
                "additionalProperties": false,
                "properties": {
                  "agents": {
                    "items": {
                      "properties": {
                        "handle": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "handle"
                      ],
                      "type": "object"
                    },
                    "type": "array"
                  }
                },
                "required": [
                  "agents"
                ],
                "type": "object"
              },
              "AssignAnswer": {
                "additionalProperties": false,
                "properties": {
                  "estimate": {
                    "additionalProperties": false,
                    "properties": {
                      "median": {
                        "type": "string"
                      },
                      "p90": {
                        "type": "string"
                      },
                      "sessions": {
                        "type": "integer"
                      },
                      "text": {
                        "type": "string"
                      },
                      "unit": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "unit",
                      "sessions",
                      "median",
                      "p90",
                      "text"
                    ],
                    "type": "object"
                  },
                  "results": {
                    "items": {
                      "$ref": "#/components/schemas/AssignmentResult"
                    },
                    "type": "array"
                  }
                },
                "required": [
                  "results"
                ],
                "type": "object"
              },
              "AssignRequest": {
                "additionalProperties": false,
                "properties": {
                  "agent": {
                    "description": "An agent's handle or name, or route to pick by labels.",
                    "type": "string"
                  },
                  "as": {
                    "description": "Who acts (default: AGENTSCHED_USER, then user: in agentsched.yaml).",
                    "type": "string"
                  },
                  "body": {
                    "type": "string"
                  },
                  "dry_run": {
                    "type": "boolean"
                  },
                  "issues": {
                    "items": {
                      "minimum": 1,
                      "type": "integer"
                    },
                    "minItems": 1,
                    "type": "array"
                  },
                  "label": {
                    "type": "string"
                  },
                  "model": {
                    "description": "A model the organisation allows, instead of the agent's own.",
                    "type": "string"
                  },
                  "repository": {
                    "description": "OWNER/NAME",
                    "type": "string"
                  },
                  "title": {
                    "description": "The task's text, for issues of a repository not on GitHub.",
                    "type": "string"
                  }
                },
                "required": [
                  "repository",
                  "agent"
                ],
                "type": "object"
              },
              "AssignmentResult": {
                "additionalProperties": false,
                "properties": {
                  "agent": {
                    "type": "string"
                  },
                  "cost": {
                    "type": "string"
                  },
                  "dry_run": {
                    "type": "boolean"
                  },
                  "estimate": {
                    "type": "object"
                  },
                  "issue": {
                    "type": "integer"
                  },
                  "model": {
                    "type": "string"
                  },
                  "reason": {
                    "type": "string"
                  },
                  "session": {
                    "type": "integer"
                  },
                  "status": {
                    "enum": [
                      "queued",
                      "denied",
                      "duplicate",
                      "unrouted"
                    ],
                    "type": "string"
                  }
                },
                "required": [
                  "issue",
                  "status",
                  "dry_run"
                ],
                "type": "object"
              },
              "Budget": {
                "description": "The document of agentsched budget --format json.",
                "properties": {
                  "alerts": {
                    "items": {
                      "type": "object"
                    },
                    "type": "array"
                  },
                  "at": {
                    "type": "string"
                  },
                  "budgets": {
                    "items": {
                      "properties": {
                        "limit": {
                          "description": "An exact decimal amount in its unit.",
                          "type": "number"
                        },
                        "percent": {
                          "type": "integer"
                        },
                        "remaining": {
                          "description": "An exact decimal amount in its unit.",
                          "type": "number"
                        },
                        "reserved": {
                          "description": "An exact decimal amount in its unit.",
                          "type": "number"
                        },
                        "resets_at": {
                          "type": "string"
                        },
                        "scope": {
                          "type": "string"
                        },
                        "unit": {
                          "type": "string"
                        },
                        "used": {
                          "description": "An exact decimal amount in its unit.",
                          "type": "number"
                        }
                      },
                      "required": [
                        "scope",
                        "unit",
                        "used",
                        "reserved"
                      ],
                      "type": "object"
                    },
                    "type": "array"
                  }
                },
                "required": [
                  "budgets"
                ],
                "type": "object"
              },
              "CancelAnswer": {
                "additionalProperties": false,
                "properties": {
                  "outcome": {
                    "enum": [
                      "cancelled",
                      "requested",
                      "already-final"
                    ],
                    "type": "string"
                  },
                  "session": {
                    "type": "integer"
                  },
                  "state": {
                    "$ref": "#/components/schemas/State"
                  }
                },
                "required": [
                  "outcome",
                  "session",
                  "state"
                ],
                "type": "object"
              },
              "Error": {
                "additionalProperties": false,
                "properties": {
                  "error": {
                    "additionalProperties": false,
                    "properties": {
                      "code": {
                        "type": "string"
                      },
                      "message": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "code",
                      "message"
                    ],
                    "type": "object"
                  }
                },
                "required": [
                  "error"
                ],
                "type": "object"
              },
              "Event": {
                "additionalProperties": false,
                "properties": {
                  "at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "data": {
                    "additionalProperties": {
                      "type": "string"
                    },
                    "type": "object"
                  },
                  "id": {
                    "type": "integer"
                  },
                  "kind": {
                    "description": "A dotted name: session.state, tool.called, budget.charged, \u2026",
                    "type": "string"
                  },
                  "line": {
                    "description": "The event as sessions logs prints it.",
                    "type": "string"
                  },
                  "org": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "session": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  }
                },
                "required": [
                  "id",
                  "session",
                  "org",
                  "at",
                  "kind",
                  "data",
                  "line"
                ],
                "type": "object"
              },
              "EventPage": {
                "additionalProperties": false,
                "properties": {
                  "events": {
                    "items": {
                      "$ref": "#/components/schemas/Event"
                    },
                    "type": "array"
                  },
                  "next": {
                    "description": "The after of the next page; null on the newest page.",
                    "type": [
                      "integer",
                      "null"
                    ]
                  }
                },
                "required": [
                  "events",
                  "next"
                ],
                "type": "object"
              },
              "MessageRequest": {
                "additionalProperties": false,
                "properties": {
                  "as": {
                    "description": "Who acts (default: AGENTSCHED_USER, then user: in agentsched.yaml).",
                    "type": "string"
                  },
                  "message": {
                    "minLength": 1,
                    "type": "string"
                  }
                },
                "required": [
                  "message"
                ],
                "type": "object"
              },
              "Outputs": {
                "additionalProperties": false,
                "properties": {
                  "branch": {
                    "type": "string"
                  },
                  "commit": {
                    "type": "string"
                  },
                  "patch": {
                    "type": "string"
                  },
                  "pull_request": {
                    "$ref": "#/components/schemas/PullRequestLink"
                  },
                  "summary": {
                    "type": "string"
                  },
                  "worktree": {
                    "type": "string"
                  }
                },
                "type": "object"
              },
              "Policies": {
                "additionalProperties": false,
                "properties": {
                  "policies": {
                    "items": {
                      "properties": {
                        "org": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "org"
                      ],
                      "type": "object"
                    },
                    "type": "array"
                  }
                },
                "required": [
                  "policies"
                ],
                "type": "object"
              },
              "PullRequestLink": {
                "additionalProperties": false,
                "properties": {
                  "number": {
                    "type": "integer"
                  },
                  "url": {
                    "type": "string"
                  }
                },
                "required": [
                  "number",
                  "url"
                ],
                "type": "object"
              },
              "Session": {
                "additionalProperties": false,
                "properties": {
                  "actual_model": {
                    "type": "string"
                  },
                  "agent": {
                    "type": "string"
                  },
                  "ai_credits": {
                    "description": "An exact decimal amount in its unit.",
                    "type": "number"
                  },
                  "assigner": {
                    "type": "string"
                  },
                  "body": {
                    "type": "string"
                  },
                  "cancel_requested_at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "created_at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "feedback": {
                    "type": "string"
                  },
                  "figure": {
                    "description": "What it spent, as the board shows it: 0.33, or 12.40 cr.",
                    "type": "string"
                  },
                  "finished_at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "follows": {
                    "type": "integer"
                  },
                  "id": {
                    "type": "integer"
                  },
                  "issue": {
                    "type": "integer"
                  },
                  "model": {
                    "type": "string"
                  },
                  "model_requests": {
                    "type": "integer"
                  },
                  "org": {
                    "type": "string"
                  },
                  "outputs": {
                    "$ref": "#/components/schemas/Outputs"
                  },
                  "premium_requests": {
                    "description": "An exact decimal amount in its unit.",
                    "type": "number"
                  },
                  "priority": {
                    "type": "integer"
                  },
                  "pull_request": {
                    "$ref": "#/components/schemas/PullRequestLink"
                  },
                  "reason": {
                    "type": "string"
                  },
                  "repository": {
                    "type": "string"
                  },
                  "requests": {
                    "items": {
                      "type": "object"
                    },
                    "type": "array"
                  },
                  "started_at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "state": {
                    "$ref": "#/components/schemas/State"
                  },
                  "title": {
                    "type": "string"
                  },
                  "tokens": {
                    "$ref": "#/components/schemas/Tokens"
                  },
                  "updated_at": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "worker": {
                    "type": "string"
                  }
                },
                "required": [
                  "id",
                  "state",
                  "org",
                  "repository",
                  "issue",
                  "title",
                  "agent",
                  "assigner",
                  "model",
                  "priority",
                  "premium_requests",
                  "ai_credits",
                  "figure",
                  "tokens",
                  "model_requests",
                  "created_at",
                  "updated_at",
                  "body"
                ],
                "type": "object"
              },
              "SessionList": {
                "additionalProperties": false,
                "properties": {
                  "sessions": {
                    "items": {
                      "$ref": "#/components/schemas/Session"
                    },
                    "type": "array"
                  }
                },
                "required": [
                  "sessions"
                ],
                "type": "object"
              },
              "State": {
                "enum": [
                  "queued",
                  "running",
                  "completed",
                  "failed",
                  "cancelled",
                  "timed-out",
                  "denied",
                  "blocked",
                  "throttled",
                  "interrupted"
                ],
                "type": "string"
              },
              "SteerAnswer": {
                "additionalProperties": false,
                "properties": {
                  "message": {
                    "description": "The steering message's id.",
                    "type": "integer"
                  },
                  "session": {
                    "type": "integer"
                  }
                },
                "required": [
                  "session",
                  "message"
                ],
                "type": "object"
              },
              "Tokens": {
                "additionalProperties": false,
                "properties": {
                  "cache_write": {
                    "minimum": 0,
                    "type": "integer"
                  },
                  "cached_input": {
                    "minimum": 0,
                    "type": "integer"
                  },
                  "input": {
                    "minimum": 0,
                    "type": "integer"
                  },
                  "output": {
                    "minimum": 0,
                    "type": "integer"
                  }
                },
                "required": [
                  "input",
                  "cached_input",
                  "cache_write",
                  "output"
                ],
                "type": "object"
              },
              "Usage": {
                "description": "The document of agentsched usage --format json.",
                "properties": {
                  "budgets": {
                    "items": {
                      "type": "object"
                    },
                    "type": "array"
                  },
                  "period": {
                    "type": "object"
                  },
                  "rows": {
                    "items": {
                      "type": "object"
                    },
                    "type": "array"
                  },
                  "totals": {
                    "type": "object"
                  }
                },
                "required": [
                  "period",
                  "rows"
                ],
                "type": "object"
              }
            },
            "securitySchemes": {
              "bearer": {
                "scheme": "bearer",
                "type": "http"
              },
              "cookie": {
                "in": "cookie",
                "name": "agentsched_session",
                "type": "apiKey"
              }
            }
          },
          "info": {
            "description": "The HTTP API of agentsched serve: sessions, their live events, the actions of the command line and its reports. Without a token only loopback host names are served; with one, every request needs Authorization: Bearer TOKEN (or the page's sign-in cookie). Actions from a browser must come from this origin.",
            "title": "agentsched",
            "version": "1"
          },
          "openapi": "3.1.0",
          "paths": {
            "/api/v1/agents": {
              "get": {
                "operationId": "agents",
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Agents"
                        }
                      }
                    },
                    "description": "The agents."
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "The team's agent profiles."
              }
            },
            "/api/v1/assign": {
              "post": {
                "operationId": "assign",
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AssignRequest"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AssignAnswer"
                        }
                      }
                    },
                    "description": "Nothing new was queued (a dry run, or every issue refused); results say why."
                  },
                  "201": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AssignAnswer"
                        }
                      }
                    },
                    "description": "At least one session was queued."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  },
                  "502": {
                    "$ref": "#/components/responses/ForgeUnavailable"
                  }
                },
                "summary": "Assign issues, exactly as agentsched assign."
              }
            },
            "/api/v1/budget": {
              "get": {
                "operationId": "budget",
                "parameters": [
                  {
                    "description": "One organisation.",
                    "in": "query",
                    "name": "org",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Budget"
                        }
                      }
                    },
                    "description": "The budget report."
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Each budget scope's used, reserved and remaining amounts."
              }
            },
            "/api/v1/events": {
              "get": {
                "operationId": "events",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/After"
                  },
                  {
                    "$ref": "#/components/parameters/Limit"
                  },
                  {
                    "$ref": "#/components/parameters/LastEventID"
                  }
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/Events"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Every session's events (live: from now unless resumed)."
              }
            },
            "/api/v1/openapi.json": {
              "get": {
                "operationId": "openapi",
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    },
                    "description": "OpenAPI 3.1"
                  }
                },
                "summary": "This document."
              }
            },
            "/api/v1/policies": {
              "get": {
                "operationId": "policies",
                "parameters": [
                  {
                    "description": "One organisation.",
                    "in": "query",
                    "name": "org",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Policies"
                        }
                      }
                    },
                    "description": "The policies."
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "The organisations' policies."
              }
            },
            "/api/v1/sessions": {
              "get": {
                "operationId": "listSessions",
                "parameters": [
                  {
                    "description": "Only these states, comma-separated.",
                    "in": "query",
                    "name": "state",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "Only this repository (OWNER/NAME).",
                    "in": "query",
                    "name": "repo",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "Only this agent's handle.",
                    "in": "query",
                    "name": "agent",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "Only sessions this user assigned.",
                    "in": "query",
                    "name": "user",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SessionList"
                        }
                      }
                    },
                    "description": "The sessions."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Sessions, oldest first, with what each spent."
              }
            },
            "/api/v1/sessions/{id}": {
              "get": {
                "operationId": "getSession",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Session"
                        }
                      }
                    },
                    "description": "The session."
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "One session, with its priced requests."
              }
            },
            "/api/v1/sessions/{id}/cancel": {
              "post": {
                "operationId": "cancel",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  }
                ],
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ActorRequest"
                      }
                    }
                  },
                  "required": false
                },
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/CancelAnswer"
                        }
                      }
                    },
                    "description": "Cancelled, or already final."
                  },
                  "202": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/CancelAnswer"
                        }
                      }
                    },
                    "description": "Its worker was asked to stop it."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Cancel a session: a waiting one at once, a running one at its next safe point."
              }
            },
            "/api/v1/sessions/{id}/events": {
              "get": {
                "operationId": "sessionEvents",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  },
                  {
                    "$ref": "#/components/parameters/After"
                  },
                  {
                    "$ref": "#/components/parameters/Limit"
                  },
                  {
                    "$ref": "#/components/parameters/LastEventID"
                  }
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/Events"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "A session's events."
              }
            },
            "/api/v1/sessions/{id}/follow-up": {
              "post": {
                "operationId": "followUp",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  }
                ],
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MessageRequest"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "201": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Session"
                        }
                      }
                    },
                    "description": "The follow-up session."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Queue a follow-up of a finished session, on its branch and pull request."
              }
            },
            "/api/v1/sessions/{id}/patch": {
              "get": {
                "operationId": "sessionPatch",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "text/x-diff": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "description": "git format-patch output"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "The session's changes as a patch."
              }
            },
            "/api/v1/sessions/{id}/steer": {
              "post": {
                "operationId": "steer",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/SessionID"
                  }
                ],
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MessageRequest"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "202": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SteerAnswer"
                        }
                      }
                    },
                    "description": "The message is queued."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Send a session a new instruction, delivered after its current tool call."
              }
            },
            "/api/v1/usage": {
              "get": {
                "operationId": "usage",
                "parameters": [
                  {
                    "description": "One organisation.",
                    "in": "query",
                    "name": "org",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "day, week or month; or since/until.",
                    "in": "query",
                    "name": "period",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "A day or instant.",
                    "in": "query",
                    "name": "since",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "A day or instant.",
                    "in": "query",
                    "name": "until",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "description": "Dimensions: org,user,agent,model,repo,day,session.",
                    "in": "query",
                    "name": "by",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Usage"
                        }
                      }
                    },
                    "description": "The usage report."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "421": {
                    "$ref": "#/components/responses/BadHost"
                  }
                },
                "summary": "Usage, as agentsched usage --format json."
              }
            }
          },
          "security": [
            {
              "bearer": []
            },
            {
              "cookie": []
            },
            {}
          ]
        }
        """#
}
