@echo off
rem Verwerk alle werkmappen in de map input tot documenten in de map output: dubbelklik dit bestand.
rem De eerste keer maakt het een eigen Python-omgeving (.venv) en installeert het de pipeline.
rem Opties mogen erachter, bijvoorbeeld in een opdrachtvenster: verwerk.cmd --peildatum 03-11-2025
setlocal
cd /d "%~dp0"
set "AFSLUITCODE=1"
call "tools\windows\opzetten.cmd" || goto :einde
".venv\Scripts\python.exe" -m pipeline run --input input --output output %*
set "AFSLUITCODE=%ERRORLEVEL%"
echo.
if "%AFSLUITCODE%"=="0" echo Klaar.
if "%AFSLUITCODE%"=="1" echo Klaar, maar een of meer werkmappen hebben fouten: zie de meldingen hierboven.
:einde
echo.
pause
exit /b %AFSLUITCODE%
