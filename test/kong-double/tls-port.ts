// The admin listener's TLS port as nginx runs it: a TLS handshake goes to the
// HTTPS server; plain HTTP on the same port gets nginx's 400 page; a request
// without an acceptable client certificate (when one is required) gets the
// 400 pages nginx answers before Kong sees the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';

const TLS_HANDSHAKE = 0x16;

/** nginx's error page, byte for byte as Kong 3.9's admin listener sends it. */
export function nginxBadRequest(res: ServerResponse, reason: string): void {
  const body = `<html>\r\n<head><title>400 ${reason}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${reason}</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(400, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** Whether nginx (`ssl_verify_client on`) lets this request through; answers it when not. */
export function clientCertificateAccepted(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) return true;
  const peer = socket.getPeerCertificate();
  nginxBadRequest(res, peer && Object.keys(peer).length > 0 ? 'The SSL certificate error' : 'No required SSL certificate was sent');
  return false;
}

/** One port for both: the first byte tells a TLS ClientHello from plain HTTP. */
export function tlsPortFront(tlsServer: https.Server): net.Server {
  const plain = http.createServer((_req, res) => { nginxBadRequest(res, 'The plain HTTP request was sent to HTTPS port'); });
  return net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === TLS_HANDSHAKE ? tlsServer : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
}
