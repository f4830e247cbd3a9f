# The orchestrator (and, with another command, the simulators) as one image.
FROM node:20-slim AS build
WORKDIR /app
RUN npm install -g pnpm@9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
COPY --from=build /app /app
EXPOSE 8080
ENTRYPOINT ["node", "packages/orchestrator/dist/cli/esimctl.js"]
CMD ["serve"]
