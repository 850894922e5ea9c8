# Runtime image for the odock executable. It copies a self-contained build, so the image needs no .NET runtime:
#   dotnet publish src/Silo -c Release -r linux-x64 --self-contained -o out/odock
#   docker compose up --build
FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/odock odock
WORKDIR /var/lib/odock
COPY out/odock/ /opt/odock/
USER odock
# On a container limited to one CPU, .NET otherwise waits ten times longer before optimising hot code (docs/CONFIG.md).
ENV DOTNET_TC_DelaySingleProcMultiplier=1
EXPOSE 8080 11111
ENTRYPOINT ["/opt/odock/odock"]
CMD ["--listen", "http://0.0.0.0:8080"]
