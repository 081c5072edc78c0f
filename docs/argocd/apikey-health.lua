-- Argo CD health check for apikeyoperator.dev/ApiKey
local hs = {}

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile this ApiKey"
  return hs
end

local ready = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the Ready condition"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process generation " .. generation
  return hs
end

if ready.reason == "Provisioning" or ready.reason == "Rotating" then
  hs.status = "Progressing"
  hs.message = ready.message or ready.reason
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "The key is in its Secret"
  return hs
end

hs.status = "Degraded"
hs.message = (ready.reason or "NotReady") .. ": " .. (ready.message or "no message")
return hs
