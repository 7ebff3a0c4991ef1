# frozen_string_literal: true

# Benchmark 3 of `make bench`, run with `rails runner` in a Redmine with the
# plugin: the time the plugin's hook adds per API request, measured in process
# around the hook (ActiveSupport notification 'authorize.redmine_api_guard')
# over many requests through the whole Rails stack, next to a bare Ruby gRPC
# call of the empty floor RPC on the same sidecar. Rounds alternate the two.
# Prints one JSON document.   env: BENCH_TOKEN, BENCH_ROUNDS, BENCH_PER_ROUND
require 'json'

token = ENV.fetch('BENCH_TOKEN')
rounds = ENV.fetch('BENCH_ROUNDS', '5').to_i
per_round = ENV.fetch('BENCH_PER_ROUND', '400').to_i
address = RedmineApiGuard::Settings.sidecar_address

RedmineApiGuard::SidecarClient.load_stubs
bare = GRPC::ClientStub.new(address, :this_channel_is_insecure)
empty = ->(_) { '' }
bare_call = -> { bare.request_response('/apiguard.bench.Floor/Empty', '', empty, empty, deadline: Time.now + 1) }

hook = []
ActiveSupport::Notifications.subscribe('authorize.redmine_api_guard') do |*args|
  hook << ActiveSupport::Notifications::Event.new(*args).duration
end
env = lambda do
  Rack::MockRequest.env_for('/users/current.json', 'HTTP_X_REDMINE_API_KEY' => token, 'REMOTE_ADDR' => '127.0.0.1')
end
request = -> { Rails.application.call(env.call).last.close }

status = Rails.application.call(env.call).first
abort "token refused: HTTP #{status}" unless status == 200
50.times { request.call; bare_call.call }
hook.clear
bare_ms = []
rounds.times do
  per_round.times { request.call }
  per_round.times do
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    bare_call.call
    bare_ms << (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0) * 1000
  end
end

pct = ->(values, p) { values.sort[[(values.size * p / 100.0).ceil - 1, 0].max].round(3) }
result = {
  requests: hook.size, hook_p50_ms: pct.call(hook, 50), hook_p99_ms: pct.call(hook, 99),
  bare_calls: bare_ms.size, bare_p50_ms: pct.call(bare_ms, 50), bare_p99_ms: pct.call(bare_ms, 99),
  redmine: Redmine::VERSION.to_s, ruby: RUBY_VERSION, grpc: GRPC::VERSION
}
result[:hook_to_bare_p50] = (result[:hook_p50_ms] / result[:bare_p50_ms]).round(3)
puts JSON.generate(result)
