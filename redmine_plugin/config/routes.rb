# frozen_string_literal: true

scope 'my' do
  resources :api_tokens, controller: 'api_guard_tokens', as: 'api_guard_tokens',
                         only: [:index, :new, :create, :destroy]
end

get 'admin/api_token_scopes(.:format)', to: 'api_guard_admin_tokens#scopes', as: 'api_guard_scope_map',
                                        constraints: {format: 'json'}

scope 'admin' do
  resources :api_tokens, controller: 'api_guard_admin_tokens', as: 'api_guard_admin_tokens',
                         only: [:index, :destroy]
end
