# The Padoms image: the code and its dependencies; the index and the state live outside it.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm cache clean --force
COPY . .
# The index volume is mounted here; files are written 0600 for the user who ingests: node.
RUN mkdir -p /index && chown node:node /index
USER node
ENV NODE_ENV=production PADOMS_DATA_DIR=/index
# Replicas serve the index as it is (see docker-compose.yml); `padoms ingest` builds it.
CMD ["node", "bin/padoms.js", "serve"]
