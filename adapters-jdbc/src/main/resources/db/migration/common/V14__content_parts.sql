-- A message's content in order when it holds more than text (images, audio, files), as JSON; NULL for text alone.
ALTER TABLE messages ADD COLUMN content_parts TEXT;
