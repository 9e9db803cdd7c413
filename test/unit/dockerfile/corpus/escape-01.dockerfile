# escape=`
FROM mcr.microsoft.com/windows
RUN dir `
  c:\
