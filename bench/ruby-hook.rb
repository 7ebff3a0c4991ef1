# frozen_string_literal: true

# Benchmark 3 of `make bench`, run with `rails runner` in a Redmine with the
# plugin: the time the plugin's hook adds per API request (the sidecar call
# and what builds it, measured in process around
# RedmineApiGuard::Patches::ApplicationControllerPatch#api_guard_ask_sidecar)
# over many requests through the whole Rails stack, next to a bare Ruby gRPC
# call of the empty floor RPC on the same sidecar.
#
# Fairness: a gRPC call after ~20 ms of other work costs several times one
# made right after another call (the peer has gone idle; measured here:
# 0.2 ms back to back, 0.9-1.3 ms after 20 ms). So the bare call is made
# inside the same requests, next to the hook, and each is counted only on
# the requests where it came first. Prints one JSON document.
# env: BENCH_TOKEN, BENCH_REQUESTS
require 'json'

token = ENV.fetch('BENCH_TOKEN')
requests = ENV.fetch('BENCH_REQUESTS', '2000').to_i
address = RedmineApiGuard::Settings.sidecar_address

RedmineApiGuard::SidecarClient.load_stubs
bare_stub = GRPC::ClientStub.new(address, :this_channel_is_insecure)
empty = ->(_) { '' }
clock = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
timed = lambda do |&work|
  t0 = clock.call
  result = work.call
  [result, (clock.call - t0) * 1000]
end

samples = { hook: [], bare: [] }
order = { bare_first: false }
bare_call = -> { bare_stub.request_response('/apiguard.bench.Floor/Empty', '', empty, empty, deadline: Time.now + 1) }
ApplicationController.prepend(Module.new do
  define_method(:api_guard_ask_sidecar) do |credential|
    if order[:bare_first]
      _, ms = timed.call { bare_call.call }
      samples[:bare] << ms
      super(credential)
    else
      answer, ms = timed.call { super(credential) }
      samples[:hook] << ms
      bare_call.call
      answer
    end
  end
end)

env = lambda do
  Rack::MockRequest.env_for('/users/current.json', 'HTTP_X_REDMINE_API_KEY' => token, 'REMOTE_ADDR' => '127.0.0.1')
end
status = Rails.application.call(env.call).first
abort "token refused: HTTP #{status}" unless status == 200

200.times { |i| order[:bare_first] = i.odd?; Rails.application.call(env.call).last.close }
samples.each_value(&:clear)
requests.times do |i|
  order[:bare_first] = i.odd?
  Rails.application.call(env.call).last.close
end

pct = ->(values, p) { values.sort[[(values.size * p / 100.0).ceil - 1, 0].max].round(3) }
result = {
  requests: requests,
  hook_samples: samples[:hook].size, hook_p50_ms: pct.call(samples[:hook], 50), hook_p99_ms: pct.call(samples[:hook], 99),
  bare_samples: samples[:bare].size, bare_p50_ms: pct.call(samples[:bare], 50), bare_p99_ms: pct.call(samples[:bare], 99),
  redmine: Redmine::VERSION.to_s, ruby: RUBY_VERSION, grpc: GRPC::VERSION
}
result[:hook_to_bare_p50] = (result[:hook_p50_ms] / result[:bare_p50_ms]).round(3)
puts JSON.generate(result)
