-- Argo CD health check for apikeyoperator.dev/ApiKey
-- Ready: the Secret holds a working key. Synced: the spec of the current generation is applied.
-- A change refused on a live key (Ready=True, Synced=False) is Healthy by default, since the key in
-- the Secret works; set this to true to show it as Degraded instead (as Crossplane's check does).
local refusedChangeIsDegraded = false
local hs = {}

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile this ApiKey"
  return hs
end

local ready = nil
local synced = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Synced" then
    synced = condition
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the Ready condition"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if synced ~= nil and synced.observedGeneration ~= nil then
  observed = synced.observedGeneration
end
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process generation " .. generation
  return hs
end

if ready.status ~= "True" then
  if ready.reason == "Provisioning" then
    hs.status = "Progressing"
    hs.message = ready.message or ready.reason
    return hs
  end
  hs.status = "Degraded"
  hs.message = (ready.reason or "NotReady") .. ": " .. (ready.message or "no message")
  return hs
end

if synced ~= nil and synced.status ~= "True" then
  local why = (synced.reason or "NotSynced") .. ": " .. (synced.message or "no message")
  if refusedChangeIsDegraded then
    hs.status = "Degraded"
  else
    hs.status = "Healthy"
  end
  hs.message = "The key in the Secret works, but the latest change is not applied. " .. why
  return hs
end

if ready.reason == "Rotating" then
  hs.status = "Progressing"
  hs.message = ready.message or ready.reason
  return hs
end

hs.status = "Healthy"
hs.message = ready.message or "The key is in its Secret"
return hs
