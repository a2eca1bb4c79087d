# Runs the `cvc` binary once and checks its exit status and output (ctest -P script):
#   -DCVC=path -DARGS="score;file.csv;--model;m.json" -DEXIT=1
#   [-DSTDOUT=regex] [-DSTDERR=regex] [-DSTDOUT_EMPTY=ON]
execute_process(COMMAND ${CVC} ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT status STREQUAL EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXIT}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED STDOUT AND NOT out MATCHES "${STDOUT}")
  message(FATAL_ERROR "stdout does not match ${STDOUT}:\n${out}")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match ${STDERR}:\n${err}")
endif()
if(STDOUT_EMPTY AND NOT out STREQUAL "")
  message(FATAL_ERROR "stdout should be empty:\n${out}")
endif()
