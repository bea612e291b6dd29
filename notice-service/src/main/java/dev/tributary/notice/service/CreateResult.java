package dev.tributary.notice.service;

import dev.tributary.notice.dto.NoticeDtos.CreatedNotice;

/** A created notice, and whether it already existed under the request's Idempotency-Key. */
public record CreateResult(CreatedNotice notice, boolean replayed) {}
