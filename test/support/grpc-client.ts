import { credentials, type Client, type ServiceError } from '@grpc/grpc-js';
import {
  AuthorizationServiceClient,
  AuthorizeRequest,
  CreateTokenRequest,
  GetTokenRequest,
  InvalidateUserRequest,
  ListTokensRequest,
  ListUserTokensRequest,
  RevokeTokenRequest,
  TokenServiceClient,
  type AuthorizeResponse,
  type CreateTokenResponse,
  type DeepPartial,
  type InvalidateUserResponse,
  type ListTokensResponse,
  type ListUserTokensResponse,
  type Policy,
  type Token,
} from '../../src/generated/redmine/apiguard/v1/api_guard';

type Callback<Res> = (error: ServiceError | null, response: Res) => void;

function call<Req, Res>(
  client: Client,
  method: (request: Req, callback: Callback<Res>) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, (error: ServiceError | null, response: Res) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** A promise-based client of the sidecar for tests ("unix:/x.sock" or "host:port"). */
export class SidecarApi {
  private readonly tokens: TokenServiceClient;
  private readonly auth: AuthorizationServiceClient;

  constructor(address: string) {
    this.tokens = new TokenServiceClient(address, credentials.createInsecure());
    this.auth = new AuthorizationServiceClient(address, credentials.createInsecure());
  }

  createToken(req: DeepPartial<CreateTokenRequest>): Promise<CreateTokenResponse> {
    return call(this.tokens, this.tokens.createToken, CreateTokenRequest.fromPartial(req));
  }

  getToken(req: DeepPartial<GetTokenRequest>): Promise<Token> {
    return call(this.tokens, this.tokens.getToken, GetTokenRequest.fromPartial(req));
  }

  revokeToken(req: DeepPartial<RevokeTokenRequest>): Promise<Token> {
    return call(this.tokens, this.tokens.revokeToken, RevokeTokenRequest.fromPartial(req));
  }

  listUserTokens(req: DeepPartial<ListUserTokensRequest>): Promise<ListUserTokensResponse> {
    return call(this.tokens, this.tokens.listUserTokens, ListUserTokensRequest.fromPartial(req));
  }

  listTokens(req: DeepPartial<ListTokensRequest>): Promise<ListTokensResponse> {
    return call(this.tokens, this.tokens.listTokens, ListTokensRequest.fromPartial(req));
  }

  getPolicy(): Promise<Policy> {
    return call(this.tokens, this.tokens.getPolicy, {});
  }

  authorize(req: DeepPartial<AuthorizeRequest>): Promise<AuthorizeResponse> {
    return call(this.auth, this.auth.authorize, AuthorizeRequest.fromPartial(req));
  }

  invalidateUser(req: DeepPartial<InvalidateUserRequest>): Promise<InvalidateUserResponse> {
    return call(this.auth, this.auth.invalidateUser, InvalidateUserRequest.fromPartial(req));
  }

  reloadPolicy(): Promise<Policy> {
    return call(this.auth, this.auth.reloadPolicy, {});
  }

  close(): void {
    this.tokens.close();
    this.auth.close();
  }
}
