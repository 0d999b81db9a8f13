// (a) The ceiling: node:http answering 204 after reading the body.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(204);
    response.end();
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
