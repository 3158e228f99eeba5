-- A system line in words any client can translate: `code` names what happened (timedOut, streamOffline, ...) and
-- `args` fills it in (names, seconds, the gift); `text` stays its English wording for clients that do not translate.
-- Lines written before this migration have neither and show their text.

ALTER TABLE chat_messages ADD COLUMN code text, ADD COLUMN args jsonb;
