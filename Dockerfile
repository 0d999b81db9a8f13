# The image manifests/kubernetes runs: `docker build -t ghcr.io/deskpulse/deskpulse:0.1.0 .`
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY stubs ./stubs
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY web ./web
COPY samples ./samples
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/deskpulse.js"]
CMD ["serve"]
