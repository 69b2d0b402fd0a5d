SELECT '$' || '{';
