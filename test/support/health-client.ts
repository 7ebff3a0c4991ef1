import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type HealthClient = Client & {
  check(request: { service: string }, callback: (e: ServiceError | null, r: { status: string }) => void): void;
};

/**
 * Asks grpc.health.v1.Health/Check, as a load balancer or probe would: the
 * client is built at run time from the standard health.proto.
 */
export function checkHealth(address: string, service = ''): Promise<string> {
  const definition = loadSync(protoPath, { enums: String, keepCase: true });
  const grpc = loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: unknown) => HealthClient } } };
  };
  const client = new grpc.grpc.health.v1.Health(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.check({ service }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response.status);
    });
  });
}
