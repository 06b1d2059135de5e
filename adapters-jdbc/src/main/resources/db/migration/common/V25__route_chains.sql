-- Degradation chains set at runtime, beside the weights: a line per link, "deployment<TAB>model<TAB>capability", in
-- chain order; NULL while every deployment keeps its configured chain.
ALTER TABLE route_weights ADD COLUMN chains TEXT;
