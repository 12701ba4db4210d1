# The console image: build with the .NET SDK and Node.js (for the charts module), run on the ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY AWorld.Core/AWorld.Core.csproj AWorld.Core/
COPY AWorld.Twin/AWorld.Twin.csproj AWorld.Twin/
COPY AWorld.Aws/AWorld.Aws.csproj AWorld.Aws/
COPY AWorld.Console/AWorld.Console.csproj AWorld.Console/
RUN dotnet restore AWorld.Console/AWorld.Console.csproj
COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json wwwroot-assets/
RUN cd wwwroot-assets && npm ci --no-audit --no-fund
COPY wwwroot-assets/ wwwroot-assets/
COPY AWorld.Core/ AWorld.Core/
COPY AWorld.Twin/ AWorld.Twin/
COPY AWorld.Aws/ AWorld.Aws/
COPY AWorld.Console/ AWorld.Console/
RUN dotnet publish AWorld.Console/AWorld.Console.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The PDF after-action report needs a TrueType font; the runtime image has none.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Everything the console stores (database, keys) lives in /data: mount a volume there.
ENV Console__DataDirectory=/data \
    Urls=http://+:8080
VOLUME /data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "AWorld.Console.dll"]
