/** Finding a TCP port nobody is listening on. */
import net from 'node:net';

/** Whether `port` on loopback can be listened on now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the operating system says is free. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` if it is free, otherwise any free port. */
export async function preferredOrFreePort(preferred: number): Promise<number> {
  return (await portIsFree(preferred)) ? preferred : freePort();
}
