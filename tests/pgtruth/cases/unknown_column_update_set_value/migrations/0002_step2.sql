UPDATE picked SET label = name;
